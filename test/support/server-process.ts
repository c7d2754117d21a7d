import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createPostgresDatabase } from "./databases";
import { onJsonLines } from "./json-lines";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every JSON log line the process has written so far. */
  logs(): Array<Record<string, any>>;
  /** Resolves with the first log line (already written or still to come) that matches. */
  waitForLog(match: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` as a separate process and resolves once `listening` processes (one,
 * or WORKERS of them) have logged where they listen.
 */
export function startServerProcess(env: Record<string, string>, options: { listening?: number; startTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const root = path.join(__dirname, "..", "..");
  const child = spawn(process.execPath, ["-r", "@swc-node/register", "src/main.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Array<Record<string, any>> = [];
  const waiters = new Set<(line: Record<string, any>) => void>();
  let output = "";
  child.stderr!.on("data", (chunk) => (output += chunk));
  child.stdout!.on("data", (chunk) => (output += chunk));
  onJsonLines(child.stdout!, (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) waiter(line);
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const waitForLog = (match: (line: Record<string, any>) => boolean, timeoutMs = 30_000) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const seen = lines.find(match);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching log line:\n${output}`));
      }, timeoutMs);
      const waiter = (line: Record<string, any>) => {
        if (!match(line)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(line);
      };
      waiters.add(waiter);
    });

  const wanted = options.listening ?? 1;
  const listening = new Promise<string>((resolve, reject) => {
    let count = 0;
    let url = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), options.startTimeoutMs ?? 60_000);
    const waiter = (line: Record<string, any>) => {
      if (line.msg !== "Latchkey is listening") return;
      url = (line.url as string).replace(/\/graphql$/, "");
      if (++count < wanted) return;
      clearTimeout(timer);
      waiters.delete(waiter);
      resolve(url);
    };
    waiters.add(waiter);
    void exit.then((code) => {
      clearTimeout(timer); // a refused start must not keep the test process waiting
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });

  return listening.then((url) => ({
    url,
    child,
    logs: () => [...lines],
    waitForLog,
    exited: () => exit,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  }));
}

/** Server processes' settings for sharing one fresh PostgreSQL database and the local Redis (own key prefix). */
export async function sharedStateEnv(name: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const database = await createPostgresDatabase();
  const suffix = randomBytes(4).toString("hex");
  return {
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: "redis://127.0.0.1:6379",
      REDIS_PREFIX: `latchkey-test-${suffix}:`,
      APP_SECRET: `${name}-secret-`.repeat(4).slice(0, 44),
      DATA_DIR: `/tmp/latchkey-${name}-${suffix}`,
    },
    drop: database.drop,
  };
}

/**
 * `npm start` with WORKERS=2: two server processes under one primary on one port, on a fresh
 * PostgreSQL database (`databaseUrl`) and the local Redis. Resolves once both listen; `stop`
 * also drops the database.
 */
export async function startTwoWorkers(name: string, env: Record<string, string> = {}): Promise<ServerProcess & { databaseUrl: string }> {
  const shared = await sharedStateEnv(name);
  // Two workers compiling at once start slowly on a busy machine.
  const server = await startServerProcess({ ...shared.env, WORKERS: "2", ...env }, { listening: 2, startTimeoutMs: 80_000 }).catch(async (error) => {
    await shared.drop();
    throw error;
  });
  return {
    ...server,
    databaseUrl: shared.env.DATABASE_URL,
    stop: async () => {
      await server.stop();
      await shared.drop();
    },
  };
}

export interface ServerPair {
  servers: [ServerProcess, ServerProcess];
  /** The shared PostgreSQL database, for reading what the servers wrote (e.g. the mail outbox). */
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Two server processes on one fresh PostgreSQL database and the local Redis (own key prefix),
 * as behind a load balancer. Started one after the other, so one applies the migrations.
 */
export async function startServerPair(env: Record<string, string> = {}): Promise<ServerPair> {
  const shared = await sharedStateEnv("pair");
  const settings = { ...shared.env, ...env };
  const first = await startServerProcess(settings);
  const second = await startServerProcess(settings).catch(async (error) => {
    await first.stop();
    throw error;
  });
  return {
    servers: [first, second],
    databaseUrl: shared.env.DATABASE_URL,
    stop: async () => {
      await Promise.all([first.stop(), second.stop()]);
      await shared.drop();
    },
  };
}
