import type { Context } from "hono";

/** GET /v1/models: one entry per agent (an extra `description`, which the OpenAI spec allows). */
export function modelsHandler(
  modelNames: string[],
  descriptions: Record<string, string | undefined> | undefined,
  created: number,
) {
  return (c: Context) =>
    c.json({
      object: "list",
      data: modelNames.map((id) => ({
        id,
        object: "model",
        created,
        owned_by: "flm",
        ...(descriptions?.[id] ? { description: descriptions[id] } : {}),
      })),
    });
}
