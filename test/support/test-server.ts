import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApp, type App } from "../../src/app";
import { loadConfig } from "../../src/config";
import { OffsetClock } from "../../src/common/clock";
import { createLogger, type Logger } from "../../src/logger";
import { BUSY_MACHINE_TIMEOUTS, createPostgresDatabase, type TestDatabaseKind } from "./databases";
import { RATE_LIMIT_KEYS } from "../../src/limits/rate-limit-rules";
import { SecretScan } from "./secret-scan";
import { pgliteTemplate } from "./pglite-template";

// Suites sign in and sign up far more often than a person would; rate-limit and lockout
// suites set their own limits through `env`.
/**
 * How long a fixture may take to start a server and its neighbours: migrations on a fresh
 * database beside a busy machine take far longer than a test's own steps.
 */
export const START_TIMEOUT_MS = 120_000;

const GENEROUS_LIMITS = Object.fromEntries(RATE_LIMIT_KEYS.map((key) => [`RATE_LIMIT_${key}`, "100000/1m"]));

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }> };
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

export interface TestServer {
  kind: TestDatabaseKind;
  url: string;
  app: App;
  clock: OffsetClock;
  dataDir: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResponse<T>>;
  /** Everything the server has logged so far (at trace level), as JSON lines. */
  log(): string;
  /** The first log line (parsed) that matches, as soon as it is written. */
  waitForLog(match: (line: Record<string, any>) => boolean): Promise<Record<string, any>>;
  /** The secrets seen in requests and responses; stop() fails if the log holds any of them. */
  secrets: SecretScan;
  /** The server's own logger (for the scan's control test). */
  logger: Logger;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  /** Keep PGlite on disk in this folder instead of in memory. */
  pgliteDataDir?: string;
  dataDir?: string;
  /** Reuse an existing PostgreSQL database (restart tests). */
  databaseUrl?: string;
}

/** Starts the real server on a random port over a fresh database of the given kind. */
export async function startTestServer(kind: TestDatabaseKind, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "latchkey-test-"));
  const postgres = kind === "postgres" && !options.databaseUrl ? await createPostgresDatabase() : undefined;
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    APP_SECRET: "test-secret-test-secret-test-secret-0123456789",
    PUBLIC_URL: "http://localhost:4000",
    // Everything is logged and kept, so stop() can search the whole log for secrets.
    LOG_LEVEL: "trace",
    ...GENEROUS_LIMITS,
    ...BUSY_MACHINE_TIMEOUTS,
    ...(kind === "postgres" ? { DATABASE_URL: options.databaseUrl ?? postgres!.url } : {}),
    ...options.env,
  });
  const clock = new OffsetClock();
  const logLines: string[] = [];
  const logWaiters = new Set<(line: string) => void>();
  const echo = process.env.TEST_LOG_ECHO === "1";
  const logger = createLogger(config.logLevel, {
    write: (line: string) => {
      logLines.push(line);
      for (const waiter of [...logWaiters]) waiter(line);
      if (echo) process.stdout.write(line);
    },
  });
  const secrets = new SecretScan();
  const app = await createApp({
    config,
    clock,
    logger,
    pgliteDataDir: options.pgliteDataDir ?? "memory://",
    // In memory, each suite's database starts as a copy of the migrated template.
    pgliteTemplate: kind === "pglite" && !options.pgliteDataDir ? await pgliteTemplate() : undefined,
  });
  const url = await app.listen();

  return {
    kind,
    url,
    app,
    clock,
    dataDir,
    secrets,
    logger,
    log: () => logLines.join(""),
    waitForLog: (match) =>
      new Promise((resolve) => {
        const parsed = (line: string) => JSON.parse(line) as Record<string, any>;
        const seen = logLines.map(parsed).find(match);
        if (seen) return resolve(seen);
        const waiter = (line: string) => {
          if (!match(parsed(line))) return;
          logWaiters.delete(waiter);
          resolve(parsed(line));
        };
        logWaiters.add(waiter);
      }),
    async gql(query, variables, requestOptions = {}) {
      secrets.collect(variables);
      secrets.add("bearer", requestOptions.token);
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(requestOptions.token ? { authorization: `Bearer ${requestOptions.token}` } : {}),
          ...requestOptions.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse["body"];
      secrets.collect(body.data);
      secrets.collectCookies(response.headers);
      return { status: response.status, headers: response.headers, body };
    },
    async stop() {
      await app.close();
      await postgres?.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      const leaks = secrets.leaksIn(logLines.join(""));
      if (leaks.length > 0) throw new Error(`the server log contains secrets (${leaks.join(", ")}) seen in this suite's requests`);
    },
  };
}
