import type { Logger } from "pino";
import type { Clock } from "../common/clock";
import type { AuditEventStore } from "./audit-event.store";

const BATCH = 5_000;
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes audit events older than the retention (AUDIT_RETENTION). Batched so a large backlog
 * never holds one long transaction; safe with several processes pruning at once (a row
 * deleted by one is simply not found by the other).
 */
export class AuditRetention {
  constructor(
    private readonly store: AuditEventStore,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  /** Returns how many events were deleted; 0 when retention is off. */
  async prune(): Promise<number> {
    if (this.retentionMs <= 0) return 0;
    const cutoff = new Date(this.clock.now().getTime() - this.retentionMs);
    let total = 0;
    for (;;) {
      const deleted = await this.store.deleteOlderThan(cutoff, BATCH);
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }

  /** Prunes now and then every hour, off the request path; `stop` waits for a run in progress. */
  startSchedule(logger: Logger, intervalMs = PRUNE_INTERVAL_MS): { stop(): Promise<void> } {
    let running: Promise<void> = Promise.resolve();
    let stopped = false;
    let busy = false;
    const run = () => {
      if (stopped || busy) return;
      busy = true;
      running = this.prune()
        .then(
          (deleted) => {
            if (deleted > 0) logger.info({ deleted }, "old audit events pruned");
          },
          (error) => logger.warn({ err: error }, "audit pruning failed; retrying at the next interval"),
        )
        .finally(() => {
          busy = false;
        });
    };
    run();
    const timer = setInterval(run, intervalMs);
    timer.unref();
    return {
      stop: async () => {
        stopped = true;
        clearInterval(timer);
        await running;
      },
    };
  }
}
