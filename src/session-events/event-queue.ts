/**
 * The events of one subscription, as the AsyncIterator graphql-js reads: pushed by the server,
 * pulled by the connection. It holds at most `limit` unread events (a client that does not read
 * loses the oldest; every event is also readable as state, e.g. `me` or `userSessions`).
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting?: (result: IteratorResult<T>) => void;
  private ended = false;
  private finishedListeners: Array<() => void> = [];
  private drainedListeners: Array<() => void> = [];
  private finished = false;

  constructor(
    /** Called once when the subscription ends, whichever side ended it. */
    private readonly onEnd: () => void,
    private readonly limit = 100,
  ) {}

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.limit) this.items.shift();
    this.items.push(item);
  }

  /** No more events: the reader gets those still queued, then the end. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.finish();
      resolve({ value: undefined, done: true });
    }
  }

  /**
   * Resolves once the reader has taken every queued event and asks for the next one (so what it
   * took has been handed on), or has stopped reading.
   */
  whenDrained(): Promise<void> {
    if (this.finished || (this.items.length === 0 && this.waiting)) return Promise.resolve();
    return new Promise((resolve) => this.drainedListeners.push(resolve));
  }

  /** Resolves once the reader has taken every event and seen the end (or stopped reading). */
  whenFinished(): Promise<void> {
    if (this.finished) return Promise.resolve();
    return new Promise((resolve) => this.finishedListeners.push(resolve));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.ended) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    const waiting = new Promise<IteratorResult<T>>((resolve) => (this.waiting = resolve));
    this.drained();
    return waiting;
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.end();
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
    for (const listener of this.finishedListeners) listener();
    this.finishedListeners = [];
    this.drained();
  }

  private drained(): void {
    for (const listener of this.drainedListeners) listener();
    this.drainedListeners = [];
  }
}
