import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

const transpiled = new Map<string, Promise<string>>();

export interface ModuleWorkerOptions extends WorkerOptions {
  /**
   * From a source checkout, bundle the module with the sibling modules it imports (packages stay
   * external), instead of transpiling it alone. For workers that reuse project code (the NER
   * detector); `import.meta.url` in the bundle is the worker module's own URL.
   */
  bundle?: boolean;
}

/**
 * Starts a worker thread running the module `name` that sits beside the caller (pass
 * `import.meta.url`). From the build (`.js`) that is the module file itself. From a source
 * checkout (`.ts`, under vitest or tsx) the file is transpiled on its own with esbuild (a dev
 * dependency, cached per process) and evaluated as CommonJS, so a worker module may import only
 * Node built-ins and packages at run time (`import type` from siblings is fine), unless `bundle`.
 */
export async function startModuleWorker(
  callerUrl: string,
  name: string,
  options: ModuleWorkerOptions = {},
): Promise<Worker> {
  const { bundle = false, ...workerOptions } = options;
  const fromSource = callerUrl.endsWith(".ts");
  const url = new URL(`./${name}${fromSource ? ".ts" : ".js"}`, callerUrl);
  if (!fromSource) return new Worker(url, workerOptions);
  const file = fileURLToPath(url);
  const key = `${bundle ? "bundle" : "module"}:${file}`;
  let code = transpiled.get(key);
  if (!code) {
    code = bundle ? bundleModule(file) : transpile(file);
    transpiled.set(key, code);
    code.catch(() => transpiled.delete(key));
  }
  return new Worker(commonJsWrapper(await code, file), { ...workerOptions, eval: true });
}

async function transpile(file: string): Promise<string> {
  const { transform } = await import("esbuild");
  const source = await readFile(file, "utf8");
  const out = await transform(source, { loader: "ts", format: "cjs", platform: "node", target: "node20" });
  return out.code;
}

async function bundleModule(file: string): Promise<string> {
  const { build } = await import("esbuild");
  const out = await build({
    entryPoints: [file],
    bundle: true,
    packages: "external",
    write: false,
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "silent",
    define: { "import.meta.url": JSON.stringify(pathToFileURL(file).href) },
  });
  return out.outputFiles[0]!.text;
}

/** Runs CommonJS `code` as if it were `file`: its `require` resolves packages from there. */
function commonJsWrapper(code: string, file: string): string {
  return `((load) => {
  const fileModule = { exports: {} };
  (function (exports, require, module, __filename, __dirname) {
${code}
  })(fileModule.exports, load, fileModule, ${JSON.stringify(file)}, ${JSON.stringify(dirname(file))});
})(require("node:module").createRequire(${JSON.stringify(file)}));
`;
}
