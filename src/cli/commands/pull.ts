import { stat } from "node:fs/promises";
import { pullModel } from "../../models/download/index.js";
import { type CliIO, formatBytes, progressBar } from "../cli-io.js";

/** `flm pull <model-uri>`: downloads a GGUF into the model cache, with a progress bar on a TTY. */
export async function pullCommand(uri: string, io: CliIO): Promise<void> {
  const bar = progressBar(io, `pulling ${uri}`);
  const result = await pullModel(uri, {
    onProgress: (p) => bar.update(p.downloadedSize, p.totalSize),
  });
  bar.done();
  const size = (await stat(result.path)).size;
  io.print(`${result.path}  (${formatBytes(size)}${result.downloaded ? "" : ", already in the cache"})`);
}
