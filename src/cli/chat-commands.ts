/** What a line typed into `flm chat` is: a question for the agent, or a local command. */
export type ChatLine =
  | { kind: "empty" }
  | { kind: "prompt"; text: string }
  | { kind: "exit" }
  | { kind: "help" }
  | { kind: "trace" }
  | { kind: "unknown"; command: string };

export const CHAT_HELP = [
  "Commands (handled here, never sent anywhere):",
  "  /help    this list",
  "  /trace   the full trace of the last answer (what went to the cloud, each tool call, tokens)",
  "  /exit    leave (also /quit, or Ctrl-D)",
  "Anything else is a question. A line that starts with / is a command: start it with // to ask",
  "something that begins with a slash (//etc/hosts → /etc/hosts).",
].join("\n");

/**
 * Classifies one line. A line starting with `/` is always a command (known or not) and is never
 * sent to the planner; `//…` escapes a question that starts with a slash.
 */
export function parseChatLine(line: string): ChatLine {
  const text = line.trim();
  if (!text) return { kind: "empty" };
  if (text.startsWith("//")) return { kind: "prompt", text: text.slice(1) };
  if (!text.startsWith("/")) return { kind: "prompt", text };
  const command = text.split(/\s+/, 1)[0].toLowerCase();
  switch (command) {
    case "/exit":
    case "/quit":
    case "/bye":
      return { kind: "exit" };
    case "/help":
    case "/?":
      return { kind: "help" };
    case "/trace":
      return { kind: "trace" };
    default:
      return { kind: "unknown", command };
  }
}
