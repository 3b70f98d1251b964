/**
 * The `*.eval.yaml` suite format: questions with what a correct run does (the calls a planner
 * should make, the facts the answer must state, what it must not say, whether "I don't know" is
 * right). Published as docs/reference/flm-eval.schema.json by `npm run docs:gen`.
 */
import { z } from "zod";

const scalar = z.union([z.string(), z.number()]);

export const factSchema = z
  .union([
    scalar,
    z.strictObject({
      value: scalar.describe("The value: a number, a date (`YYYY-MM-DD`) or a text."),
      tolerance: z
        .number()
        .nonnegative()
        .optional()
        .describe("Numbers: the absolute difference allowed; dates: the days allowed. Default 0."),
      label: z.string().optional().describe("What the value is, for the report (e.g. `revenue 2024`)."),
    }),
  ])
  .describe(
    "A value the answer must state. Numbers are compared as values (1,234.50 = 1234.5; rounding to the decimals written counts), dates in any common format, texts across case and accents.",
  );

export const expectedCallSchema = z
  .strictObject({
    id: z
      .string()
      .optional()
      .describe("A name for this call, so another call's arguments can refer to it with `$ref`."),
    tool: z.string().min(1).describe("The tool the planner should call."),
    args: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        "Arguments that matter (others are not compared). A value `{ $ref: <id> }` means: taken from the result of the call named `<id>` (the dependency shape).",
      ),
  })
  .describe("A tool call a correct plan makes.");

export const questionLimitsSchema = z
  .strictObject({
    timeoutMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("The run is stopped after this long (a failure)."),
    maxLatencyMs: z.number().positive().optional().describe("Longer counts as over the limit."),
    maxCloudTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("More cloud tokens counts as over the limit."),
    maxSteps: z.number().int().positive().optional().describe("More tool calls counts as over the limit."),
  })
  .describe("Per-question limits.");

export const evalQuestionSchema = z
  .strictObject({
    id: z.string().min(1).describe("Unique in the suite."),
    question: z.string().min(1).describe("The prompt, as a user types it."),
    calls: z
      .array(expectedCallSchema)
      .optional()
      .describe("The calls a correct plan makes (`[]`: none). Omitted: the plan is not scored."),
    facts: z.array(factSchema).optional().describe("Values the answer must state."),
    mustNotContain: z
      .array(scalar)
      .optional()
      .describe("Values the answer must not state (a wrong customer, a value it cannot know)."),
    idk: z
      .boolean()
      .optional()
      .meta({ description: 'The right answer is "I don\'t know" (the data does not say).', default: false }),
    limits: questionLimitsSchema.optional(),
    tags: z.array(z.string()).optional().describe("Free labels, shown in the report."),
  })
  .describe("One question and what a correct run does.");

export const evalSuiteSchema = z
  .strictObject({
    $schema: z.string().optional().describe("For editors: the path or URL of flm-eval.schema.json."),
    name: z.string().min(1).describe("The suite's name, in the report."),
    description: z.string().optional(),
    config: z
      .string()
      .optional()
      .describe(
        "The flm configuration to run against (relative to the suite file). Default: as `flm ask` finds it.",
      ),
    agent: z.string().optional().describe("Which agent of the configuration (default: the top-level one)."),
    limits: questionLimitsSchema.optional().describe("Limits for every question (a question's own win)."),
    questions: z.array(evalQuestionSchema).min(1).describe("The questions."),
  })
  .superRefine((suite, ctx) => {
    const seen = new Set<string>();
    for (const [i, q] of suite.questions.entries()) {
      if (seen.has(q.id))
        ctx.addIssue({
          code: "custom",
          path: ["questions", i, "id"],
          message: `duplicate question id "${q.id}"`,
        });
      seen.add(q.id);
      const ids = new Set((q.calls ?? []).flatMap((c) => (c.id ? [c.id] : [])));
      for (const [j, call] of (q.calls ?? []).entries())
        for (const target of refTargets(call.args))
          if (!ids.has(target))
            ctx.addIssue({
              code: "custom",
              path: ["questions", i, "calls", j, "args"],
              message: `$ref "${target}" names no call of this question (give that call id: "${target}")`,
            });
    }
  })
  .describe("An flm eval suite (*.eval.yaml).");

export type EvalSuite = z.output<typeof evalSuiteSchema>;
export type EvalQuestion = z.output<typeof evalQuestionSchema>;
export type ExpectedCall = z.output<typeof expectedCallSchema>;
export type Fact = z.output<typeof factSchema>;
export type QuestionLimits = z.output<typeof questionLimitsSchema>;

/** `{ $ref: "s1" }` (with an optional `path`) in expected arguments. */
export function refTarget(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const ref = (value as Record<string, unknown>).$ref;
  return typeof ref === "string" ? ref : undefined;
}

export function refTargets(value: unknown): string[] {
  const target = refTarget(value);
  if (target) return [target];
  if (Array.isArray(value)) return value.flatMap(refTargets);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(refTargets);
  return [];
}
