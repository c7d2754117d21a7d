/**
 * Work a process does off the request path (pruning, queue delivery). Features hand theirs to
 * the composition, which registers them in one registry (src/background-jobs.ts) that starts
 * them once the server is built and stops them, in order, once it no longer takes requests.
 */
export interface BackgroundJob {
  /** Shown in logs. */
  readonly name: string;
  /** Starts in the background; its timers never keep the process alive. */
  start(): void;
  /** Stops, and waits for a run in progress. */
  stop(): void | Promise<void>;
}
