/**
 * A push/pull queue: the run pushes events from concurrent work, the caller pulls them with
 * `for await`. Errors are delivered after the events that preceded them.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  #buffer: T[] = [];
  #waiting?: () => void;
  #closed = false;
  #error: unknown;
  #failed = false;

  push(event: T): void {
    if (this.#closed) return;
    this.#buffer.push(event);
    this.#wake();
  }

  close(): void {
    this.#closed = true;
    this.#wake();
  }

  fail(error: unknown): void {
    this.#error = error;
    this.#failed = true;
    this.close();
  }

  #wake(): void {
    const w = this.#waiting;
    this.#waiting = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.#buffer.length) {
        yield this.#buffer.shift()!;
        continue;
      }
      if (this.#closed) {
        if (this.#failed) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
      });
    }
  }
}
