/**
 * A tool result in a shape the local model can read: text joined, structured content kept,
 * binary content summarised (a base64 image is noise to a language model and bloats context).
 */
export interface McpToolOutput {
  text?: string;
  structured?: Record<string, unknown>;
  /** Non-text items (images, audio, resources, links), summarised without their payload. */
  attachments?: McpAttachment[];
}

export interface McpAttachment {
  type: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  /** Approximate decoded size in bytes, for base64 payloads. */
  bytes?: number;
  /** Text of an embedded text resource, when small. */
  text?: string;
}

const INLINE_RESOURCE_TEXT = 4_000;

export function compactToolResult(result: { content?: unknown; structuredContent?: unknown }): McpToolOutput {
  const out: McpToolOutput = {};
  const texts: string[] = [];
  const attachments: McpAttachment[] = [];
  for (const item of Array.isArray(result.content) ? result.content : []) {
    const entry = item as Record<string, any>;
    switch (entry?.type) {
      case "text":
        if (typeof entry.text === "string") texts.push(entry.text);
        break;
      case "image":
      case "audio":
        attachments.push({ type: entry.type, mimeType: entry.mimeType, bytes: base64Bytes(entry.data) });
        break;
      case "resource": {
        const resource = (entry.resource ?? {}) as Record<string, any>;
        const attachment: McpAttachment = {
          type: "resource",
          uri: resource.uri,
          mimeType: resource.mimeType,
        };
        if (typeof resource.text === "string") {
          if (resource.text.length <= INLINE_RESOURCE_TEXT) attachment.text = resource.text;
          else attachment.bytes = Buffer.byteLength(resource.text);
        } else if (typeof resource.blob === "string") {
          attachment.bytes = base64Bytes(resource.blob);
        }
        attachments.push(attachment);
        break;
      }
      case "resource_link":
        attachments.push({
          type: "resource_link",
          uri: entry.uri,
          name: entry.name,
          mimeType: entry.mimeType,
        });
        break;
      default:
        if (entry && typeof entry.type === "string") attachments.push({ type: entry.type });
    }
  }
  if (texts.length > 0) out.text = texts.join("\n");
  if (result.structuredContent && typeof result.structuredContent === "object") {
    out.structured = result.structuredContent as Record<string, unknown>;
  }
  if (attachments.length > 0) out.attachments = attachments.map(dropUndefined);
  return out;
}

/** The text of an error result, for the step failure message. */
export function resultText(result: { content?: unknown }): string {
  return compactToolResult(result).text ?? "";
}

function base64Bytes(data: unknown): number | undefined {
  if (typeof data !== "string") return undefined;
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
