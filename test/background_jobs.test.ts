import pino from "pino";
import { BackgroundJobs } from "../src/background-jobs";
import { periodicJob } from "../src/common/periodic-job";
import type { BackgroundJob } from "../src/common/background-job";

const silent = pino({ level: "silent" });

function recordingJob(name: string, events: string[], stop: () => void | Promise<void> = () => undefined): BackgroundJob {
  return {
    name,
    start: () => void events.push(`start ${name}`),
    stop: async () => {
      events.push(`stop ${name}`);
      await stop();
    },
  };
}

describe("the background-jobs registry", () => {
  it("starts every registered job once and stops them all, in order, with one stop()", async () => {
    const events: string[] = [];
    const jobs = new BackgroundJobs(silent).register(recordingJob("a", events), recordingJob("b", events));
    jobs.start();
    jobs.start();
    await jobs.stop();
    await jobs.stop();
    expect(events).toEqual(["start a", "start b", "stop a", "stop b"]);
    expect(jobs.names()).toEqual(["a", "b"]);
  });

  it("stops the other jobs when one fails to stop", async () => {
    const events: string[] = [];
    const jobs = new BackgroundJobs(silent).register(
      recordingJob("a", events, () => {
        throw new Error("stuck");
      }),
      recordingJob("b", events),
    );
    jobs.start();
    await jobs.stop();
    expect(events).toEqual(["start a", "start b", "stop a", "stop b"]);
  });

  it("stops nothing that never started", async () => {
    const events: string[] = [];
    await new BackgroundJobs(silent).register(recordingJob("a", events)).stop();
    expect(events).toEqual([]);
  });
});

describe("a periodic job", () => {
  it("runs one at a time, and its stop waits for the run in progress", async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    let finished = false;
    const job = periodicJob(
      "slow",
      5,
      async () => {
        runs++;
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
      },
      silent,
    );
    job.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(1);
    const stopping = job.stop();
    setTimeout(() => release(), 20);
    await stopping;
    expect(finished).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runs).toBe(1);
  });

  it("logs a failed run and keeps running", async () => {
    let runs = 0;
    const job = periodicJob(
      "failing",
      5,
      () => {
        runs++;
        throw new Error("boom");
      },
      silent,
    );
    job.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await job.stop();
    expect(runs).toBeGreaterThan(1);
  });
});
