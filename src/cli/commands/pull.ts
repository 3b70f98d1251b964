import { optionalModule } from "../../config/optional-module.js";
import { type CliIO, formatBytes, progressBar } from "../cli-io.js";

type PullModel = (
  uri: string,
  options?: { onProgress?: (p: { downloaded?: number; total?: number; bytes?: number }) => void },
) => Promise<unknown>;

/** `flm pull <model-uri>`: downloads a GGUF into the model cache, with a progress bar on a TTY. */
export async function pullCommand(uri: string, io: CliIO): Promise<void> {
  const pullModel = await optionalModule<PullModel>(
    "../models/download/index.js",
    "pullModel",
    "Model download (flm pull)",
  );
  const bar = progressBar(io, `pulling ${uri}`);
  const result = await pullModel(uri, {
    onProgress: (p) => bar.update(p.downloaded ?? p.bytes ?? 0, p.total),
  });
  bar.done();
  const r = result as { path?: string; bytes?: number; size?: number };
  io.print(
    `${r.path ?? String(result)}${(r.bytes ?? r.size) ? `  (${formatBytes((r.bytes ?? r.size)!)})` : ""}`,
  );
}
