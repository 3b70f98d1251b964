import { redactSecrets } from "../config/redact-secrets.js";

/** Where the CLI writes: answers to stdout, everything else (trace, progress) to stderr. */
export interface CliIO {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  /** Progress and spinners only on a terminal; pipes stay quiet. */
  interactive: boolean;
  /** Secrets to mask in anything printed. */
  secrets: string[];
  info(line: string): void;
  print(line: string): void;
}

export function createIO(): CliIO {
  const io: CliIO = {
    out: process.stdout,
    err: process.stderr,
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    secrets: [],
    info: (line) => void process.stderr.write(`${redactSecrets(line, io.secrets)}\n`),
    print: (line) => void process.stdout.write(`${redactSecrets(line, io.secrets)}\n`),
  };
  return io;
}

/** A one-line spinner on stderr, for TTYs only. */
export function spinner(io: CliIO, label: string): { update(label: string): void; stop(): void } {
  if (!io.interactive) return { update() {}, stop() {} };
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let i = 0;
  let text = label;
  const timer = setInterval(() => io.err.write(`\r${frames[i++ % frames.length]} ${text}\x1b[K`), 80);
  timer.unref();
  return {
    update: (l) => {
      text = l;
    },
    stop: () => {
      clearInterval(timer);
      io.err.write("\r\x1b[K");
    },
  };
}

/** What a progress bar counts: bytes (`1.2 GB / 2.0 GB`) or items (`632 / 1,500 files`). */
export type ProgressUnit = "bytes" | { items: string };

/** The text after the label: `[#####-----]  42% 632 / 1,500 files`, or bytes with their unit. */
export function progressText(done: number, total: number | undefined, unit: ProgressUnit = "bytes"): string {
  const width = 30;
  const ratio = total ? Math.min(1, done / total) : 0;
  const bar = total
    ? `[${"#".repeat(Math.round(ratio * width)).padEnd(width, "-")}] ${(ratio * 100).toFixed(0).padStart(3)}% `
    : "";
  if (unit === "bytes") return `${bar}${formatBytes(done)}${total ? ` / ${formatBytes(total)}` : ""}`;
  const count = (n: number) => n.toLocaleString("en-US");
  return `${bar}${count(done)}${total ? ` / ${count(total)}` : ""} ${unit.items}`;
}

/** `[#####-----] 42% 1.2/2.0 GB` (or `632 / 1,500 files`) on a TTY; nothing in pipes. */
export function progressBar(
  io: CliIO,
  label: string,
  unit: ProgressUnit = "bytes",
): { update(done: number, total?: number): void; done(): void } {
  if (!io.interactive) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && (!total || done < total)) return;
      last = now;
      shown = true;
      io.err.write(`\r${label} ${progressText(done, total, unit)}\x1b[K`);
    },
    done: () => {
      if (shown) io.err.write("\n");
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
