import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "../src/config";
import { createPostgresDatabase } from "./support/databases";
import { startServerProcess } from "./support/server-process";
import { runUntilExit, type ServerExit } from "./support/server-exit";

// A server that cannot start with its settings must say so in words an operator acts on: every
// problem at once, one line each, naming the variable and what to do, and exit code 2 (not a
// driver's "Can't reach database server at `base`" or a cipher's "unable to authenticate data").

const SECRET_A = "first-secret-first-secret-first-secret-0001";
const SECRET_B = "other-secret-other-secret-other-secret-0002";
const spawnTimeout = 120_000;

function baseEnv(): Record<string, string> {
  return { APP_SECRET: SECRET_A, DATA_DIR: mkdtempSync(path.join(tmpdir(), "latchkey-start-")) };
}

/** The variables of the process's fatal "invalid configuration" lines, and its plain stderr list. */
function reported(exit: ServerExit) {
  const fatal = exit.logs.filter((line) => line.level === 60 && line.msg === "invalid configuration");
  const listed = exit.stderr.split("\n").filter((line) => line.startsWith("  - "));
  return { variables: fatal.map((line) => line.variable as string), problems: fatal.map((line) => line.problem as string), listed };
}

function expectRefused(exit: ServerExit, variables: string[]) {
  const { variables: named, problems, listed } = reported(exit);
  expect(exit.code).toBe(2);
  expect([...named].sort()).toEqual([...variables].sort());
  // The same problems on stderr for a person, one line each, each naming its variable.
  expect(listed).toHaveLength(variables.length);
  problems.forEach((problem, index) => {
    expect(problem).toContain(named[index]);
    expect(listed).toContain(`  - ${problem}`);
  });
  expect(exit.stdout + exit.stderr).not.toMatch(/failed to start|Can't reach database server|External error/);
}

describe("start-up with a bad setting", () => {
  it.each([
    ["a word", "base", /is not a URL/],
    ["a MySQL URL", "mysql://root:hunter2-secret@db.example.com/app", /starting with postgres:\/\/ or postgresql:\/\/ \(it is a mysql: URL\)/],
    ["a file", "file:./x.db", /\(it is a file: URL\)/],
    ["a URL without a host", "postgres:///latchkey", /names no host/],
  ])(
    "DATABASE_URL as %s stops it with exit code 2, saying what a PostgreSQL URL looks like",
    async (_what, url, message) => {
      const exit = await runUntilExit({ ...baseEnv(), DATABASE_URL: url }, { timeoutMs: spawnTimeout });
      expectRefused(exit, ["DATABASE_URL"]);
      const problem = reported(exit).problems[0];
      expect(problem).toMatch(message);
      expect(problem).toMatch(/such as postgres:\/\/user:password@db\.example\.com:5432\/latchkey/);
      // A URL may hold a password: the value itself is never repeated.
      expect(exit.stdout + exit.stderr).not.toContain("hunter2-secret");
    },
    spawnTimeout,
  );

  it(
    "a LOG_LEVEL pino does not know stops it, listing the levels",
    async () => {
      const exit = await runUntilExit({ ...baseEnv(), LOG_LEVEL: "loud" }, { timeoutMs: spawnTimeout });
      expectRefused(exit, ["LOG_LEVEL"]);
      expect(reported(exit).problems[0]).toBe('LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"');
    },
    spawnTimeout,
  );

  it(
    "a REDIS_URL that is not a redis:// URL with a host stops it",
    async () => {
      const exit = await runUntilExit({ ...baseEnv(), REDIS_URL: "http://cache.example.com:6379" }, { timeoutMs: spawnTimeout });
      expectRefused(exit, ["REDIS_URL"]);
      expect(reported(exit).problems[0]).toMatch(/REDIS_URL must be a Redis URL .* starting with redis:\/\/ or rediss:\/\/ \(it is a http: URL\)/);
    },
    spawnTimeout,
  );

  it(
    "several problems are all reported at once, one line each",
    async () => {
      const exit = await runUntilExit(
        { ...baseEnv(), DATABASE_URL: "base", LOG_LEVEL: "verbose", REDIS_URL: "cache:6379", PORT: "99999", ACCESS_TOKEN_TTL: "10s" },
        { timeoutMs: spawnTimeout },
      );
      expectRefused(exit, ["DATABASE_URL", "LOG_LEVEL", "REDIS_URL", "PORT", "ACCESS_TOKEN_TTL"]);
      expect(exit.stderr).toContain("Latchkey cannot start: 5 configuration problems");
    },
    spawnTimeout,
  );
});

describe("start-up with another APP_SECRET than the data was made with", () => {
  it(
    "stops with exit code 2 and says the secret differs, instead of the cipher's error",
    async () => {
      const database = await createPostgresDatabase();
      try {
        const env = { ...baseEnv(), DATABASE_URL: database.url };
        const first = await startServerProcess(env, { startTimeoutMs: spawnTimeout });
        await first.stop();
        expect(await first.exited()).toBe(0);

        const exit = await runUntilExit({ ...env, APP_SECRET: SECRET_B }, { timeoutMs: spawnTimeout });
        expectRefused(exit, ["APP_SECRET"]);
        expect(reported(exit).problems[0]).toMatch(/^APP_SECRET differs from the one the data in this database was made with .*: set APP_SECRET back to that value/);
        expect(exit.stdout + exit.stderr).not.toMatch(/Unsupported state|unable to authenticate/);
        for (const secret of [SECRET_A, SECRET_B]) expect(exit.stdout + exit.stderr).not.toContain(secret);

        // Under WORKERS the primary passes the worker's exit code on: still a configuration problem.
        const clustered = await runUntilExit({ ...env, APP_SECRET: SECRET_B, WORKERS: "2" }, { timeoutMs: spawnTimeout });
        expect(clustered.code).toBe(2);
        expect(reported(clustered).variables).toContain("APP_SECRET");

        // With the secret back, the same data serves again.
        const again = await startServerProcess(env, { startTimeoutMs: spawnTimeout });
        const jwks = await fetch(`${again.url}/.well-known/jwks.json`);
        expect((await jwks.json()).keys).toHaveLength(1);
        await again.stop();
      } finally {
        await database.drop();
      }
    },
    4 * spawnTimeout,
  );
});

// The same checks, in process: the forms that must keep working, and the list in the error.
describe("loadConfig", () => {
  const base = { NODE_ENV: "test", APP_SECRET: SECRET_A };

  it.each([
    ["DATABASE_URL", "postgres://postgres@127.0.0.1:5432/latchkey"],
    ["DATABASE_URL", "postgresql://user:p%40ss@db.example.com/latchkey?sslmode=require"],
    ["DATABASE_URL", "postgres:///latchkey?host=/var/run/postgresql"],
    ["REDIS_URL", "redis://127.0.0.1:6379"],
    ["REDIS_URL", "rediss://:password@cache.example.com:6380/2"],
    ["LOG_LEVEL", "warn"],
    ["LOG_LEVEL", "Debug"],
  ])("takes %s=%s", (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).not.toThrow();
  });

  it("throws one ConfigError carrying every problem, rules between variables included", () => {
    let error: unknown;
    try {
      loadConfig({ ...base, NODE_ENV: "production", APP_SECRET: "", RATE_LIMIT_LOGIN: "often", RATE_LIMIT_REGISTER: "never", PUBLIC_URL: "id.example.com" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((entry) => entry.variable).sort()).toEqual(["APP_SECRET", "PUBLIC_URL", "RATE_LIMIT_LOGIN", "RATE_LIMIT_REGISTER"]);
    expect((error as ConfigError).message.split("\n")).toEqual(problems.map((entry) => entry.problem));
  });

  it("checks a rule between variables only when both parsed", () => {
    const error = (() => {
      try {
        loadConfig({ ...base, ACCESS_TOKEN_MAX_TTL: "forever" });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error?.problems.map((entry) => entry.variable)).toEqual(["ACCESS_TOKEN_MAX_TTL"]);
  });
});
