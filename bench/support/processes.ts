// Servers under test run in their own process, as in production, so the load generator in
// this process does not share their event loop.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

export interface BenchProcess {
  url: string;
  pid: number;
  /** Resident memory of the process now, from /proc. */
  rssBytes(): number;
  /** CPU time (user + system) the process has used so far, from /proc. */
  cpuMs(): number;
  /** The same split by thread: the main thread (the event loop) and all others (libuv's pool, where argon2 hashes, workers, V8's helpers). */
  threadCpuMs(): { main: number; others: number };
  stop(): Promise<void>;
}

function statCpuMs(statPath: string): number {
  const fields = readFileSync(statPath, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `entry` (a TypeScript file relative to the project root) with PORT set to a free port
 * and resolves once it answers HTTP. Its output goes to a log file, named on failure.
 */
export async function startProcess(name: string, entry: string, env: Record<string, string> = {}): Promise<BenchProcess> {
  const port = await freePort();
  const logFile = path.join(tmpdir(), `latchkey-bench-${name}.log`);
  const out = openSync(logFile, "w");
  // BENCH_NODE_ARGS adds node flags to the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, "-r", "@swc-node/register", entry], {
    cwd: ROOT,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", out, out],
  });
  let exited = false;
  child.once("exit", () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${name} exited during start; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer within 60 s; see ${logFile}`);
    try {
      await fetch(`${url}/healthz`);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    url,
    pid: child.pid!,
    rssBytes: () => {
      const pages = Number(readFileSync(`/proc/${child.pid}/statm`, "utf8").split(" ")[1]);
      return pages * 4096;
    },
    cpuMs: () => statCpuMs(`/proc/${child.pid}/stat`),
    threadCpuMs: () => {
      let main = 0;
      let others = 0;
      for (const task of readdirSync(`/proc/${child.pid}/task`)) {
        const ms = statCpuMs(`/proc/${child.pid}/task/${task}/stat`);
        if (Number(task) === child.pid) main += ms;
        else others += ms;
      }
      return { main, others };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The Latchkey server on PostgreSQL, production settings, request logging on as in production. */
export function startLatchkey(name: string, env: Record<string, string>): Promise<BenchProcess> {
  return startProcess(name, "src/main.ts", {
    NODE_ENV: "production",
    APP_SECRET: "bench-secret-bench-secret-bench-secret-000",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
    ...env,
  });
}
