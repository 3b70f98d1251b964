/**
 * In-process llama.cpp: does prefill while waiting really reuse the evaluated tokens? An answer
 * prompt (instructions, question, then lookup results one by one) is answered three ways on the
 * shared tiny models, counting the tokens llama.cpp evaluated (node-llama-cpp's token meters):
 *   cold     a fresh sequence reads the whole prompt when the answer is asked for;
 *   prefill  the fixed part is read while the cloud would plan, each result as it "arrives",
 *            so the answer request evaluates only the tail;
 *   busy     the same with a second question's prefill interleaved on a 2-sequence context:
 *            each answer goes back to the sequence holding its prompt.
 * Run: npm run bench:llama-prefill   (needs FLM_SHARED_DIR or ../shared/models)
 */
import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { createLlamaModel, type LlamaLanguageModel } from "../src/models/llama/index.js";
import { sharedFile } from "../test/helpers/shared-dir.js";

const SYSTEM =
  "You answer the user's question using only the lookup results in the context. Cite the lookups you used by their ids in square brackets, like [s1]. If the context does not contain the answer, say that you do not know.";
const RESULTS = [
  '[s1] find_customer(name="Helena Holy")\nCustomerId | FirstName | LastName | City | Country | SupportRepId\n5 | Helena | Holy | Prague | Czech Republic | 4',
  "[s2] list_invoices(customer_ids=[5])\nInvoiceId | InvoiceDate | Total\n404 | 2025-12-01 | 25.86\n393 | 2025-11-08 | 1.98\n369 | 2025-08-07 | 3.96",
  "[s3] get_employee(employee_id=4)\nEmployeeId | FirstName | LastName | Title | Phone\n4 | Margaret | Park | Sales Support Agent | +1 (403) 263-4423",
];

const prompt = (question: string, results: string[], done: boolean): LanguageModelV3Prompt => [
  { role: "system", content: SYSTEM },
  {
    role: "user",
    content: [
      {
        type: "text",
        text: `Question: ${question}\n\nLookup results:\n${results.join("\n\n")}${done ? "\n\nAnswer the question above." : results.length ? "\n\n" : ""}`,
      },
    ],
  },
];

async function meter(model: LlamaLanguageModel) {
  const { input, output } = await model.evaluatedTokens();
  return input + output;
}

async function answer(model: LlamaLanguageModel, question: string) {
  const before = await meter(model);
  const result = await model.doGenerate({
    prompt: prompt(question, RESULTS, true),
    maxOutputTokens: 8,
    seed: 1,
  });
  return {
    evaluated: (await meter(model)) - before - (result.usage.outputTokens.total ?? 0),
    promptTokens: result.usage.inputTokens.total ?? 0,
    reported: result.usage.inputTokens.cacheRead ?? 0,
  };
}

async function prefillAll(model: LlamaLanguageModel, question: string) {
  const before = await meter(model);
  for (let n = 0; n <= RESULTS.length; n++) await model.prefill(prompt(question, RESULTS.slice(0, n), false));
  return (await meter(model)) - before;
}

const Q1 = "How much has Helena Holy spent, and who is her support rep?";
const Q2 = "Which invoices does customer 5 have, and what did they total?";
const paths = [
  sharedFile("models", "llama-2-tiny-random.gguf"),
  sharedFile("models", "stories260K.gguf"),
].filter((p): p is string => Boolean(p));
if (!paths.length) {
  console.error("bench:llama-prefill needs the shared tiny models (FLM_SHARED_DIR=/path/to/shared).");
  process.exit(1);
}

for (const path of paths) {
  const name = path.split("/").pop();
  const cold = createLlamaModel({ modelPath: path, contextSize: 1024 });
  const c = await answer(cold, Q1);
  await cold.dispose();

  const warm = createLlamaModel({ modelPath: path, contextSize: 1024 });
  const prefilled = await prefillAll(warm, Q1);
  const w = await answer(warm, Q1);
  await warm.dispose();

  const busy = createLlamaModel({ modelPath: path, contextSize: 1024, sequences: 2 });
  await prefillAll(busy, Q1);
  await prefillAll(busy, Q2);
  const b1 = await answer(busy, Q1);
  const b2 = await answer(busy, Q2);
  await busy.dispose();

  console.log(`${name}: answer prompt ${c.promptTokens} tokens`);
  console.log(`  cold:    the answer request evaluated ${c.evaluated} prompt tokens`);
  console.log(
    `  prefill: ${prefilled} evaluated ahead (fixed part, then 3 results), then the answer request ${w.evaluated} (usage reports ${w.reported} read from the sequence)`,
  );
  console.log(
    `  busy:    2 questions prefilled on 2 sequences, answers evaluated ${b1.evaluated} and ${b2.evaluated} prompt tokens`,
  );
}
