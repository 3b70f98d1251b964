/**
 * The housekeeping requests chat UIs send to an OpenAI-compatible endpoint, shaped as they send
 * them (message roles, section headers, `<chat_history>` / `<type>` / `<text>` tags, how the
 * transcript is rendered, the JSON key the UI parses, LangChain's forced tool call), for the
 * gateway tests. Sources: Open WebUI `backend/open_webui/config.py` task templates rendered by
 * `utils/task.py` (`{{MESSAGES:END:n}}` becomes `USER: …\nASSISTANT: …`) and sent by
 * `routers/tasks.py` as one user message with `stream: false`; LibreChat's title generation in
 * `@librechat/agents` (`src/utils/title.ts`, convo rendered `User: {input}\nAI: {output}`, either
 * plain completion or structured output through LangChain) and its legacy `titleConvo`
 * (`||>User:` / `||>Response:`).
 */

export interface Turn {
  role: "user" | "assistant";
  content: string;
}

const owuiHistory = (turns: Turn[], last: number) =>
  turns
    .slice(-last)
    .map((t) => `${t.role.toUpperCase()}: ${t.content}`)
    .join("\n");

const body = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "flm-default",
  messages: [{ role: "user", content }],
  stream: false,
  max_completion_tokens: 1000,
  ...extra,
});

export const openWebUi = {
  title: (turns: Turn[]) =>
    body(`### Task:
Generate a concise, 3-5 word title with an emoji summarizing the chat history.
### Guidelines:
- The title should clearly represent the main theme or subject of the conversation.
- Write the title in the chat's primary language; default to English if multilingual.
### Output:
JSON format: { "title": "your concise title here" }
### Examples:
- { "title": "📉 Stock Market Trends" },
- { "title": "Remote Work Productivity Tips" }
### Chat History:
<chat_history>
${owuiHistory(turns, 2)}
</chat_history>`),

  tags: (turns: Turn[]) =>
    body(`### Task:
Generate 1-3 broad tags categorizing the main themes of the chat history, along with 1-3 more specific subtopic tags.

### Guidelines:
- Start with high-level domains (e.g. Science, Technology, Business)
- If content is too short (less than 3 messages) or too diverse, use only ["General"]

### Output:
JSON format: { "tags": ["tag1", "tag2", "tag3"] }

### Chat History:
<chat_history>
${owuiHistory(turns, 6)}
</chat_history>`),

  followUps: (turns: Turn[]) =>
    body(`### Task:
Suggest 3-5 relevant follow-up questions or prompts that the user might naturally ask next in this conversation as a **user**, based on the chat history, to help continue or deepen the discussion.
### Guidelines:
- Write all follow-up questions from the user's point of view, directed to the assistant.
### Output:
JSON format: { "follow_ups": ["Question 1?", "Question 2?", "Question 3?"] }
### Chat History:
<chat_history>
${owuiHistory(turns, 6)}
</chat_history>`),

  queries: (turns: Turn[]) =>
    body(`### Task:
Analyze the chat history to determine the necessity of generating search queries, in the given language.
### Guidelines:
- Respond **EXCLUSIVELY** with a JSON object.
- When generating search queries, respond in the format: { "queries": ["query1", "query2"] }
### Output:
Strictly return in JSON format:
{
  "queries": ["query1", "query2"]
}

### Chat History:
<chat_history>
${owuiHistory(turns, 6)}
</chat_history>
`),

  autocomplete: (turns: Turn[], text: string, type = "General") =>
    body(`### Task:
You are an autocompletion system. Continue the text in \`<text>\` based on the **completion type** in \`<type>\` and the given language.

### **Output Rules**:
- Respond only in JSON format: \`{ "text": "<your_completion>" }\`.

### **Examples**:
#### Example 1:
Input:
<type>General</type>
<text>The sun was setting over the horizon, painting the sky</text>
Output:
{ "text": "with vibrant shades of orange and pink." }

---
### Context:
<chat_history>
${owuiHistory(turns, 6)}
</chat_history>
<type>${type}</type>
<text>${text}</text>
#### Output:
`),

  emoji: (message: string) =>
    body(`Your task is to reflect the speaker's likely facial expression through a fitting emoji. Interpret emotions from the message and reflect their facial expression using fitting, diverse emojis (e.g., 😊, 😢, 😡, 😱).

Message: \`\`\`${message}\`\`\``),
};

const convo = (user: string, ai: string) => `User: ${user}\nAI: ${ai}`;

export const libreChat = {
  /** Default `titleMethod: "completion"`. */
  titleCompletion: (user: string, ai: string) =>
    body(`Provide a concise, 5-word-or-less title for the conversation, using title case conventions. Only return the title itself.

Conversation:
${convo(user, ai)}`),

  /** `titleMethod: "structured"` through LangChain's function calling. */
  titleStructured: (user: string, ai: string) =>
    body(
      `Analyze this conversation and provide:
1. The detected language of the conversation
2. A concise title in the detected language (5 words or less, no punctuation or quotation)

${convo(user, ai)}`,
      {
        tools: [
          {
            type: "function",
            function: {
              name: "extract",
              description: "",
              parameters: {
                type: "object",
                properties: {
                  language: { type: "string", description: "The detected language of the conversation" },
                  title: { type: "string", description: "A concise title for the conversation" },
                },
                required: ["language", "title"],
                additionalProperties: false,
              },
            },
          },
        ],
        tool_choice: { type: "function", function: { name: "extract" } },
      },
    ),

  /** Structured output through a JSON schema response format. */
  titleJsonSchema: (user: string, ai: string) =>
    body(
      `Analyze this conversation and provide:
1. The detected language of the conversation
2. A concise title in the detected language (5 words or less, no punctuation or quotation)

${convo(user, ai)}`,
      {
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "extract",
            schema: {
              type: "object",
              properties: { language: { type: "string" }, title: { type: "string" } },
              required: ["language", "title"],
            },
          },
        },
      },
    ),

  /** The legacy client's title request. */
  titleLegacy: (user: string, ai: string) => ({
    model: "flm-default",
    messages: [
      {
        role: "system",
        content: `Please generate a concise, 5-word-or-less title for the conversation, using its same language, with no punctuation. Apply title case conventions appropriate for the language. Never directly mention the language name or the word "title"

||>User:
"${user}"
||>Response:
"${JSON.stringify(ai)}"

||>Title:`,
      },
    ],
    temperature: 0.2,
    max_tokens: 16,
  }),
};
