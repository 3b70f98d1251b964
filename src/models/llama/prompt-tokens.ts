/**
 * The tokens a chat history becomes under the model's chat template, as LlamaChat evaluates them,
 * and the tokens of a history whose last user message is still being written (for prefill).
 */
import type {
  ChatHistoryItem,
  ChatModelFunctions,
  LlamaChat,
  LlamaModel,
  LlamaText,
  Token,
} from "node-llama-cpp";

type History = ChatHistoryItem[];

/** The whole prompt of a request, or undefined when the template cannot render it. */
export function promptTokens(
  chat: LlamaChat,
  model: LlamaModel,
  history: History,
  functions?: ChatModelFunctions,
): Token[] | undefined {
  try {
    const state = chat.chatWrapper.generateContextState({
      chatHistory: history,
      availableFunctions: functions,
    });
    return state.contextText.tokenize(model.tokenizer);
  } catch {
    return undefined;
  }
}

const MARK = "\u2063flm-open-end\u2063";

/**
 * The prompt up to the end of the last user message's text, before the template closes the turn:
 * a prefix of the prompt of any later request whose last user message starts with that text.
 * (node-llama-cpp renders "ends with user text" prompts the same way.)
 */
export function openPromptTokens(
  chat: LlamaChat,
  model: LlamaModel,
  history: History,
  makeText: (values: LlamaText["values"]) => LlamaText,
): Token[] | undefined {
  const lastUser = history.findLastIndex((item) => item.type === "user");
  if (lastUser < 0) return undefined;
  const marked = history.map((item, i) =>
    i === lastUser && item.type === "user" ? { ...item, text: item.text + MARK } : item,
  );
  try {
    const { contextText } = chat.chatWrapper.generateContextState({ chatHistory: marked });
    const values = contextText.values;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (typeof value !== "string") continue;
      const at = value.indexOf(MARK);
      if (at >= 0) return makeText([...values.slice(0, i), value.slice(0, at)]).tokenize(model.tokenizer);
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** How many leading tokens of `tokens` a chat's sequence already holds. */
export const heldPrefix = (tokens: readonly Token[]) => (chat: LlamaChat) =>
  chat.sequence.compareContextTokens(tokens as Token[]).firstDifferentIndex;

/**
 * Which sequence a prompt should go to: the one that holds the longest prefix of it, minus what
 * would be erased there. A sequence holding another question's prefill (sharing only the
 * instructions) scores below an empty one, so that prefill survives for its own answer.
 */
export const sequenceFit = (tokens: readonly Token[]) => (chat: LlamaChat) => {
  const common = heldPrefix(tokens)(chat);
  return common - (chat.sequence.nextTokenIndex - common);
};
