import cluster, { type Worker } from "node:cluster";
import type { Logger } from "./logger";

/**
 * The primary of `WORKERS=N`: forks N server processes that share the listening port (node's
 * round-robin), restarts one that dies unexpectedly, and on SIGTERM/SIGINT passes the signal on
 * and exits once every worker has drained its requests and stopped. Workers hold no state the
 * others need: sessions, limits and revocations live in PostgreSQL and Redis.
 */
export function runPrimary(workers: number, logger: Logger): void {
  let stopping = false;
  let exitCode = 0;
  // Workers that got as far as listening; one that dies before that would only die again.
  const listened = new Set<number>();

  const fork = () => cluster.fork();
  cluster.on("listening", (worker: Worker) => listened.add(worker.id));

  cluster.on("exit", (worker: Worker, code, signal) => {
    const started = listened.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info("every worker stopped");
        process.exit(exitCode);
      }
      return;
    }
    logger.error({ workerPid: worker.process.pid, code, signal }, "worker exited");
    if (!started) {
      logger.fatal("a worker failed before it could serve; stopping instead of restarting it in a loop");
      // A configuration problem (exit 2, e.g. the wrong APP_SECRET) stays one for the operator.
      stop("worker-crash", code === 2 ? 2 : 1);
      return;
    }
    fork();
  });

  const stop = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info({ reason, workers: Object.keys(cluster.workers ?? {}).length }, "stopping workers");
    // Each worker drains its in-flight requests (main.ts); this is only the last resort.
    setTimeout(() => process.exit(1), 15_000).unref();
    const remaining = Object.values(cluster.workers ?? {});
    if (remaining.length === 0) process.exit(exitCode);
    for (const worker of remaining) worker?.process.kill("SIGTERM");
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  logger.info({ workers }, "starting workers");
  for (let i = 0; i < workers; i++) fork();
}
