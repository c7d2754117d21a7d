import type { Logger } from "pino";

/**
 * Runs `work` every `intervalMs` in the background without keeping the process alive, one run
 * at a time; failures are logged, never thrown.
 */
export function startPeriodicJob(name: string, intervalMs: number, work: () => Promise<unknown>, logger: Logger): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await work();
    } catch (error) {
      logger.warn({ err: error, job: name }, "background job failed");
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
