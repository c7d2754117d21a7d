import type { Logger } from "pino";

/**
 * What the database-backed queues (the mail outbox, webhook deliveries) share: exponential
 * backoff and a polling loop with start/stop. Claiming due rows under a lease is a statement:
 * db/queue-claim.ts.
 */

/** Wait before the next try after `attempts` failed ones: first, 2 x first, 4 x first, ... at most `longestMs`. */
export function backoffDelayMs(attempts: number, firstMs: number, longestMs: number): number {
  return Math.min(firstMs * 2 ** Math.max(0, attempts - 1), longestMs);
}

/** What a pass reports: how many rows ended which way. */
export type PassCounts<R> = { [K in keyof R]: number };

const total = (counts: object) => (Object.values(counts) as number[]).reduce((sum, n) => sum + n, 0);

export interface QueueWorkerOptions {
  /** Names the worker in log lines. */
  name: string;
  pollIntervalMs: number;
  /** A pass that handled this many rows goes again at once: more may be waiting. */
  batchSize: number;
  logger: Logger;
}

/**
 * Runs `pass` in the background every pollIntervalMs, one pass at a time per process. Its
 * timer never keeps the process alive; a failed pass is logged and tried again later.
 */
export class QueueWorker<R extends PassCounts<R>> {
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private busy = false;
  private stopped = true;

  constructor(
    private readonly pass: () => Promise<R>,
    private readonly options: QueueWorkerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tail;
  }

  /** One pass, after any pass already running in this process. */
  runOnce(): Promise<R> {
    const pass = this.tail.then(() => this.pass());
    this.tail = pass.catch(() => undefined);
    return pass;
  }

  /** Passes until one handles nothing (rows waiting for a retry are not due), counts summed. */
  async drain(): Promise<R> {
    let sum: R | undefined;
    for (;;) {
      const result = await this.runOnce();
      if (sum) for (const key of Object.keys(result) as (keyof R)[]) (sum[key] as number) += result[key] as number;
      else sum = { ...result };
      if (total(result) === 0) return sum;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.busy) return this.schedule(this.options.pollIntervalMs);
    this.busy = true;
    let full = false;
    try {
      full = total(await this.runOnce()) >= this.options.batchSize;
    } catch (error) {
      this.options.logger.warn({ err: error, worker: this.options.name }, "background pass failed; will try again");
    } finally {
      this.busy = false;
    }
    this.schedule(full ? 0 : this.options.pollIntervalMs);
  }
}
