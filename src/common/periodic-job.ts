import type { Logger } from "pino";
import type { BackgroundJob } from "./background-job";

/**
 * Runs `work` every `intervalMs` in the background without keeping the process alive, one run
 * at a time; failures are logged, never thrown. `stop` waits for a run in progress, so the
 * database is not closed under it.
 */
export function periodicJob(name: string, intervalMs: number, work: () => Promise<unknown>, logger: Logger): BackgroundJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = async () => {
    try {
      await work();
    } catch (error) {
      logger.warn({ err: error, job: name }, "background job failed");
    }
  };
  return {
    name,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = run().finally(() => {
          running = undefined;
        });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
