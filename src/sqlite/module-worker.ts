import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

const transpiled = new Map<string, Promise<string>>();

/**
 * Starts a worker thread running the module `name` that sits beside the caller (pass
 * `import.meta.url`). From the build (`.js`) that is the module file itself. From a source
 * checkout (`.ts`, under vitest or tsx) the file is transpiled on its own with esbuild (a dev
 * dependency, cached per process) and evaluated as CommonJS, so a worker module may import only
 * Node built-ins and packages at run time (`import type` from siblings is fine).
 */
export async function startModuleWorker(
  callerUrl: string,
  name: string,
  options: WorkerOptions = {},
): Promise<Worker> {
  const fromSource = callerUrl.endsWith(".ts");
  const url = new URL(`./${name}${fromSource ? ".ts" : ".js"}`, callerUrl);
  if (!fromSource) return new Worker(url, options);
  const file = fileURLToPath(url);
  let code = transpiled.get(file);
  if (!code) {
    code = transpile(file);
    transpiled.set(file, code);
    code.catch(() => transpiled.delete(file));
  }
  return new Worker(commonJsWrapper(await code, file), { ...options, eval: true });
}

async function transpile(file: string): Promise<string> {
  const { transform } = await import("esbuild");
  const source = await readFile(file, "utf8");
  const out = await transform(source, { loader: "ts", format: "cjs", platform: "node", target: "node20" });
  return out.code;
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
