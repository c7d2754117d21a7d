import type { Logger } from "pino";
import type { BackgroundJob } from "./common/background-job";

/**
 * Every background job of a process, started together and stopped with one `stop()`: the
 * composition registers what the features contribute, and shuts them all down after the server
 * stopped taking requests and before the database closes.
 */
export class BackgroundJobs {
  private readonly jobs: BackgroundJob[] = [];
  private started = false;

  constructor(private readonly logger: Logger) {}

  register(...jobs: BackgroundJob[]): this {
    this.jobs.push(...jobs);
    return this;
  }

  names(): string[] {
    return this.jobs.map((job) => job.name);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs) job.start();
  }

  /** Stops every job in registration order, waiting for runs in progress; one that fails to stop does not keep the others running. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const job of this.jobs) {
      try {
        await job.stop();
      } catch (error) {
        this.logger.warn({ err: error, job: job.name }, "background job failed to stop cleanly");
      }
    }
  }
}
