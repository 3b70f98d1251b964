import type { SensitiveValue, ToolSource } from "../tools/tool-source.js";
import { ValueIndex, type ValueIndexOptions } from "./value-index.js";

export interface LiveValueIndexOptions {
  /** Sources whose sensitive columns/fields are indexed. */
  sources: readonly ToolSource[];
  /** Extra declared values (from config or a file), indexed on every full build. */
  extra?: () => Iterable<SensitiveValue>;
  /** Every this many refreshes, a full rebuild drops values no longer in the data. Default 10. */
  fullEvery?: number;
  index?: ValueIndexOptions;
  /** Called when a timed refresh fails (the index in use stays as it was). */
  onError?: (error: unknown) => void;
}

export interface SourceRefresh {
  source: string;
  mode: "full" | "incremental" | "unchanged" | "failed";
  /** Values new to the index. */
  added: number;
  error?: string;
}

export interface RefreshReport {
  mode: "full" | "incremental";
  added: number;
  /** Values in the index afterwards. */
  values: number;
  durationMs: number;
  sources: SourceRefresh[];
}

/**
 * The index of declared sensitive values, kept live (issue 11, item 2): a refresh reads only what
 * each source reports as added or changed since its last read (SQLite `data_version` and rowids,
 * PostgreSQL `xmin`, MongoDB ObjectIds) and adds it; every `fullEvery` refreshes, or on request,
 * a full rebuild replaces the index, dropping deleted values. A failed refresh never removes
 * protection: the index in use stays. Refreshes run one at a time; a request during one runs after.
 */
export class LiveValueIndex {
  private index: ValueIndex;
  private readonly marks = new Map<ToolSource, string | undefined>();
  private readonly fullEvery: number;
  private refreshes = 0;
  private running: Promise<RefreshReport> | undefined;
  private queued: { full: boolean; promise: Promise<RefreshReport> } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LiveValueIndexOptions) {
    this.index = new ValueIndex(options.index);
    this.fullEvery = Math.max(1, options.fullEvery ?? 10);
  }

  /** The index in use now (replaced by a full rebuild: do not hold on to it across requests). */
  get current(): ValueIndex {
    return this.index;
  }

  /** Reads everything: the first load, or a rebuild. */
  rebuild(): Promise<RefreshReport> {
    return this.refresh({ full: true });
  }

  /** Picks up what changed in the sources since the last refresh (a full rebuild when due). */
  refresh(options: { full?: boolean } = {}): Promise<RefreshReport> {
    const full = options.full === true;
    if (!this.running) return this.begin(full);
    // One waits behind the running refresh; later requests join it (a full one wins).
    if (this.queued) {
      this.queued.full ||= full;
      return this.queued.promise;
    }
    // The same object is queued and read when the wait ends: a later full request sets `full` on it.
    let queued!: { full: boolean; promise: Promise<RefreshReport> };
    const promise = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.begin(queued.full);
      });
    queued = { full, promise };
    this.queued = queued;
    return promise;
  }

  /** Refreshes every `intervalMs` (timer does not keep the process alive). */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      this.refresh().catch((error) => this.options.onError?.(error));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private begin(full: boolean): Promise<RefreshReport> {
    const due = full || this.refreshes === 0 || this.refreshes % this.fullEvery === 0;
    this.running = (due ? this.full() : this.incremental()).finally(() => {
      this.running = undefined;
    });
    this.refreshes++;
    return this.running;
  }

  private async full(): Promise<RefreshReport> {
    const t0 = performance.now();
    const next = new ValueIndex(this.options.index);
    const marks = new Map<ToolSource, string | undefined>();
    let added = await next.addAll(this.options.extra?.() ?? []);
    const sources: SourceRefresh[] = [];
    for (const source of this.options.sources) {
      if (!source.sensitiveValues) continue;
      // A source that fails leaves the whole index as it was: better stale than less protected.
      const changes = source.sensitiveChanges?.();
      const n = await next.addAll(changes ?? source.sensitiveValues());
      marks.set(source, changes?.mark);
      sources.push({ source: source.name, mode: "full", added: n });
      added += n;
    }
    this.index = next;
    for (const [source, mark] of marks) this.marks.set(source, mark);
    return { mode: "full", added, values: next.size, durationMs: performance.now() - t0, sources };
  }

  private async incremental(): Promise<RefreshReport> {
    const t0 = performance.now();
    const sources: SourceRefresh[] = [];
    let added = 0;
    for (const source of this.options.sources) {
      if (!source.sensitiveValues) continue;
      try {
        if (source.sensitiveChanges) {
          const changes = source.sensitiveChanges(this.marks.get(source));
          const n = await this.index.addAll(changes);
          this.marks.set(source, changes.mark);
          sources.push({
            source: source.name,
            mode: changes.full ? "full" : n ? "incremental" : "unchanged",
            added: n,
          });
          added += n;
        } else {
          const n = await this.index.addAll(source.sensitiveValues());
          sources.push({ source: source.name, mode: "full", added: n });
          added += n;
        }
      } catch (error) {
        sources.push({
          source: source.name,
          mode: "failed",
          added: 0,
          error: error instanceof Error ? error.message : String(error),
        });
        this.options.onError?.(error);
      }
    }
    return {
      mode: "incremental",
      added,
      values: this.index.size,
      durationMs: performance.now() - t0,
      sources,
    };
  }
}
