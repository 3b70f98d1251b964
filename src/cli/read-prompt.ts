import { UsageError } from "./exit-codes.js";

/** Reads all of a stream as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The prompt of `flm ask` / `flm plan`: the argument, or standard input when the argument is `-`
 * or absent and stdin is not a terminal (`echo q | flm ask`). Throws a UsageError when empty.
 */
export async function readPrompt(
  arg: string | undefined,
  command: string,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  const usage = `Usage: flm ${command} "your question", or pipe it in: echo "your question" | flm ${command}`;
  let prompt = arg;
  if (arg === "-" || (arg === undefined && !stdin.isTTY)) prompt = await readAll(stdin);
  if (prompt === undefined) throw new UsageError("No prompt given.", usage);
  prompt = prompt.trim();
  if (!prompt) {
    throw new UsageError(
      arg === undefined || arg === "-" ? "The prompt read from stdin is empty." : "The prompt is empty.",
      usage,
    );
  }
  return prompt;
}
