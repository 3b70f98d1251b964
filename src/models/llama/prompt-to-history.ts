/**
 * AI SDK prompt → node-llama-cpp chat history. Tool calls become `functionCall` items on the model
 * turn, and their results (from the following tool message) are attached by toolCallId, which is
 * how node-llama-cpp's chat wrappers render a call and its result with the model's own template.
 */
import type {
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultOutput,
  SharedV3Warning,
} from "@ai-sdk/provider";
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";

export interface ConvertedPrompt {
  history: ChatHistoryItem[];
  warnings: SharedV3Warning[];
}

export function toolResultToValue(output: LanguageModelV3ToolResultOutput): unknown {
  switch (output.type) {
    case "text":
    case "error-text":
      return output.value;
    case "json":
    case "error-json":
      return output.value;
    case "execution-denied":
      return `Tool execution denied${output.reason ? `: ${output.reason}` : ""}`;
    default:
      return (output as { value?: unknown }).value ?? null;
  }
}

export function promptToChatHistory(prompt: LanguageModelV3Prompt): ConvertedPrompt {
  const history: ChatHistoryItem[] = [];
  const warnings: SharedV3Warning[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  let fileWarned = false;
  const warnFile = () => {
    if (fileWarned) return;
    fileWarned = true;
    warnings.push({
      type: "unsupported",
      feature: "file parts",
      details: "The in-process model reads text only; file parts were dropped.",
    });
  };

  for (const message of prompt) {
    switch (message.role) {
      case "system":
        history.push({ type: "system", text: message.content });
        break;
      case "user": {
        const texts: string[] = [];
        for (const part of message.content) {
          if (part.type === "text") texts.push(part.text);
          else warnFile();
        }
        history.push({ type: "user", text: texts.join("\n") });
        break;
      }
      case "assistant": {
        const response: ChatModelResponse["response"] = [];
        for (const part of message.content) {
          if (part.type === "text") response.push(part.text);
          else if (part.type === "reasoning")
            continue; // earlier thoughts are not replayed
          else if (part.type === "tool-call") {
            const call: ChatModelFunctionCall = {
              type: "functionCall",
              name: part.toolName,
              params: typeof part.input === "string" ? safeParse(part.input) : part.input,
              result: undefined,
            };
            calls.set(part.toolCallId, call);
            response.push(call);
          } else if (part.type === "tool-result") {
            const call = calls.get(part.toolCallId);
            if (call) call.result = toolResultToValue(part.output);
          } else warnFile();
        }
        history.push({ type: "model", response });
        break;
      }
      case "tool": {
        for (const part of message.content) {
          if (part.type !== "tool-result") continue;
          const value = toolResultToValue(part.output);
          const call = calls.get(part.toolCallId);
          if (call) call.result = value;
          else
            history.push({
              type: "user",
              text: `Result of tool ${part.toolName}: ${typeof value === "string" ? value : JSON.stringify(value)}`,
            });
        }
        break;
      }
    }
  }

  // A model turn must be last: the generation continues it (or starts an empty one).
  const last = history.at(-1);
  if (last?.type !== "model" || last.response.some((item) => typeof item !== "string")) {
    history.push({ type: "model", response: [] });
  }
  return { history, warnings };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
