/**
 * Downloads a GGUF model into the local cache with node-llama-cpp's own downloader (resumable,
 * parallel, with progress), returning the file path. A file already in the cache is returned
 * without any network access; a failed or cancelled download leaves no file that looks complete
 * (the downloader writes to a temporary name and renames at the end).
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import type { createModelDownloader } from "node-llama-cpp";
import { ModelDownloadAbortedError, ModelDownloadError } from "./errors.js";
import { loadLlamaCpp } from "../../core/load-optional.js";

export interface PullProgress {
  totalSize: number;
  downloadedSize: number;
}

export interface PullModelOptions {
  /** Default: `$FLM_MODEL_CACHE`, else `~/.cache/flm/models`. */
  cacheDir?: string;
  /** File name in the cache; default derived from the URI. */
  fileName?: string;
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
  /** Extra HTTP headers, e.g. an Authorization header for a private mirror. */
  headers?: Record<string, string>;
  /**
   * Give up when the host does not answer, or the download makes no progress, for this long
   * (default 30 s): offline machines otherwise wait on retries for minutes.
   */
  stallTimeoutMs?: number;
}

export interface PulledModel {
  path: string;
  /** False when the file was already in the cache. */
  downloaded: boolean;
}

export function defaultModelCacheDir(): string {
  return process.env.FLM_MODEL_CACHE || join(homedir(), ".cache", "flm", "models");
}

/** True for http(s) URLs; anything else (hf:, ...) is a node-llama-cpp model URI. */
function isUrl(uri: string): boolean {
  return /^https?:\/\//i.test(uri);
}

export function cacheFileNameFor(uri: string): string {
  if (isUrl(uri)) {
    const name = basename(new URL(uri).pathname);
    return name || "model.gguf";
  }
  // hf:user/repo/file.gguf or hf:user/repo:quant → a readable, collision-resistant name.
  return `${uri.replace(/^[a-z]+:/i, "").replace(/[^\w.-]+/g, "_")}${/\.gguf$/i.test(uri) ? "" : ".gguf"}`;
}

export async function pullModel(uri: string, options: PullModelOptions = {}): Promise<PulledModel> {
  const cacheDir = options.cacheDir ?? defaultModelCacheDir();
  const fileName = options.fileName ?? cacheFileNameFor(uri);
  const path = join(cacheDir, fileName);
  if (existsSync(path)) return { path, downloaded: false };
  options.signal?.throwIfAborted();
  await mkdir(cacheDir, { recursive: true });

  const stallMs = options.stallTimeoutMs ?? 30_000;
  const stalled = () =>
    new ModelDownloadError(
      uri,
      `no answer or no progress from the model host for ${Math.round(stallMs / 1000)} s (offline?)`,
    );
  let downloader: Awaited<ReturnType<typeof createModelDownloader>>;
  let lastProgress = Date.now();
  try {
    const { createModelDownloader } = await loadLlamaCpp();
    downloader = await withTimeout(
      createModelDownloader({
        ...(isUrl(uri) ? { modelUrl: uri } : { modelUri: uri }),
        dirPath: cacheDir,
        fileName,
        headers: options.headers,
        showCliProgress: false,
        skipExisting: true,
        deleteTempFileOnCancel: true,
        onProgress: (status) => {
          lastProgress = Date.now();
          options.onProgress?.({ totalSize: status.totalSize, downloadedSize: status.downloadedSize });
        },
      }),
      stallMs,
      stalled,
    );
  } catch (error) {
    removePartial(cacheDir, fileName);
    if (error instanceof ModelDownloadError) throw error;
    throw new ModelDownloadError(uri, describe(error), error);
  }

  // A watchdog: the download is cancelled when bytes stop arriving.
  const watchdog = new AbortController();
  lastProgress = Date.now();
  const timer = setInterval(
    () => {
      if (Date.now() - lastProgress > stallMs) watchdog.abort(stalled());
    },
    Math.min(1000, stallMs / 4),
  );
  const signal = options.signal ? AbortSignal.any([options.signal, watchdog.signal]) : watchdog.signal;
  try {
    const downloadedPath = await Promise.race([
      downloader.download({ signal }),
      new Promise<never>((_, reject) =>
        watchdog.signal.addEventListener("abort", () => reject(watchdog.signal.reason)),
      ),
    ]);
    // The downloader resolves (rather than rejects) when cancelled: never report that as done.
    if (options.signal?.aborted) throw options.signal.reason;
    if (watchdog.signal.aborted) throw watchdog.signal.reason;
    return { path: downloadedPath, downloaded: true };
  } catch (error) {
    await downloader.cancel({ deleteTempFile: true }).catch(() => undefined);
    removePartial(cacheDir, fileName);
    if (options.signal?.aborted) throw new ModelDownloadAbortedError(uri, error);
    if (error instanceof ModelDownloadError) throw error;
    throw new ModelDownloadError(uri, describe(error), error);
  } finally {
    clearInterval(timer);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(error()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Removes the final name (if the downloader left it half-written) and its temp siblings. */
function removePartial(dir: string, fileName: string): void {
  for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
    if (entry === fileName || (entry.startsWith(fileName) && entry !== fileName)) {
      rmSync(join(dir, entry), { force: true });
    }
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/404|not found/i.test(message)) return "the server answered 404 Not Found";
  if (/401|403/.test(message)) return "access was denied (401/403); a token header may be needed";
  return message;
}
