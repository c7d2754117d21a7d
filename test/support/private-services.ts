import { execFile } from "node:child_process";
import { chownSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { freePort } from "./ports";

// Outage tests stop and start PostgreSQL and Redis, so each gets its own: a cluster from
// initdb and a redis-server, on spare ports, in a temporary folder nobody else uses.

const run = promisify(execFile);

const POSTGRES_BIN = process.env.TEST_POSTGRES_BIN ?? "/usr/local/bin";

/** PostgreSQL refuses to run as root: run its tools as the postgres user when we are root. */
function asPostgres(command: string, args: string[]) {
  const file = path.join(POSTGRES_BIN, command);
  return userInfo().uid === 0 ? run("runuser", ["-u", "postgres", "--", file, ...args]) : run(file, args);
}

export interface PrivatePostgres {
  port: number;
  /** A URL for a database of this cluster (created by createDatabase). */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** SQL against a database of the cluster (for checking invariants). */
  query<T = any>(database: string, sql: string, params?: unknown[]): Promise<T[]>;
  start(): Promise<void>;
  /** Stops the cluster; "fast" ends open connections (57P01), "immediate" is a crash. */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  /** SIGSTOP/SIGCONT to every process of the cluster: it accepts TCP connections but never answers. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  destroy(): Promise<void>;
}

/** initdb + pg_ctl in a temporary folder on a spare port; started before it is returned. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(path.join(tmpdir(), "latchkey-pg-"));
  if (userInfo().uid === 0) chownSync(root, Number((await run("id", ["-u", "postgres"])).stdout), Number((await run("id", ["-g", "postgres"])).stdout));
  const dataDir = path.join(root, "data");
  const port = await freePort();
  await asPostgres("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  let running = false;
  const clusterPids = async () => {
    const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const children = await run("pgrep", ["-P", String(postmaster)]).then((r) => r.stdout.split("\n").filter(Boolean).map(Number), () => []);
    return [postmaster, ...children];
  };

  const url = (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const cluster: PrivatePostgres = {
    port,
    url,
    async createDatabase(name) {
      await cluster.query("postgres", `CREATE DATABASE ${name}`);
      return url(name);
    },
    async query(database, sql, params) {
      const client = new Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query(sql, params as any[])).rows;
      } finally {
        await client.end();
      }
    },
    async start() {
      await asPostgres("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(root, "log"), "-w", "start"]);
      running = true;
    },
    async stop(mode = "fast") {
      await asPostgres("pg_ctl", ["-D", dataDir, "-w", "stop", "-m", mode]);
      running = false;
    },
    async freeze() {
      for (const pid of await clusterPids()) process.kill(pid, "SIGSTOP");
    },
    async thaw() {
      for (const pid of await clusterPids()) process.kill(pid, "SIGCONT");
    },
    async destroy() {
      await cluster.thaw().catch(() => undefined);
      if (running) await cluster.stop("immediate").catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  /** SHUTDOWN NOSAVE: every client connection drops at once. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/** redis-server without persistence on a spare port; started before it is returned. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const root = mkdtempSync(path.join(tmpdir(), "latchkey-redis-"));
  const port = await freePort();
  let running = false;
  const redis: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      await run("redis-server", [
        "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--daemonize", "yes", "--dir", root, "--pidfile", path.join(root, "redis.pid"), "--logfile", path.join(root, "redis.log"),
      ]);
      // --daemonize returns before the port is open.
      for (let tries = 0; ; tries++) {
        try {
          await run("redis-cli", ["-p", String(port), "ping"]);
          break;
        } catch (error) {
          if (tries > 100) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      running = true;
    },
    async stop() {
      await run("redis-cli", ["-p", String(port), "shutdown", "nosave"]).catch(() => undefined);
      // redis-cli returns when the connection drops; wait until the port no longer answers.
      for (let tries = 0; tries < 100; tries++) {
        const answered = await run("redis-cli", ["-p", String(port), "ping"]).then(() => true, () => false);
        if (!answered) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      running = false;
    },
    async destroy() {
      if (running) await redis.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}
