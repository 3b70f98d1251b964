/**
 * `--baseline <dir>`: an older copy of `src/privacy` whose modules a privacy bench also measures,
 * interleaved with the current ones (copy `src/privacy` somewhere, with `errors`, `tools` and
 * `node_modules` symlinked next to it). Returns the modules' exports merged, or undefined; a list
 * of names is a module that moved: the first that loads is taken.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

export async function loadBaseline<T>(
  files: Array<string | string[]>,
): Promise<(T & { name: string }) | undefined> {
  const at = process.argv.indexOf("--baseline");
  if (at < 0 || !process.argv[at + 1]) return undefined;
  const dir = pathToFileURL(`${resolve(process.argv[at + 1]!)}/`).href;
  const load = async (names: string[]): Promise<object> => {
    for (const name of names.slice(0, -1)) {
      try {
        return await import(new URL(name, dir).href);
      } catch {
        // an older layout: try the next name
      }
    }
    return import(new URL(names.at(-1)!, dir).href);
  };
  let merged = { name: "baseline" };
  for (const file of files) merged = { ...merged, ...(await load(Array.isArray(file) ? file : [file])) };
  return merged as T & { name: string };
}
