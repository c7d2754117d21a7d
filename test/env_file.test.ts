import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, loadEnvFile } from "../src/config";
import { startServerProcess } from "./support/server-process";
import { runUntilExit } from "./support/server-exit";

// Operators keep settings in a `.env` file: the server and the operator commands read it at
// start, the environment wins over it (as with `node --env-file` and dotenv), and the tests,
// which start servers from the project root, never pick up a developer's `.env` by accident.

const spawnTimeout = 120_000;

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-env-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("loadEnvFile", () => {
  const dotEnv = "LOG_LEVEL=warn\nPORT=5000\n# a comment\nMAIL_FROM=\"Latchkey <id@example.com>\"\n";

  it("reads .env from the working directory, keeping every variable the environment already sets", () => {
    const cwd = folderWith({ ".env": dotEnv });
    const env: Record<string, string | undefined> = { NODE_ENV: "production", PORT: "4001" };
    expect(loadEnvFile(env, cwd)).toBe(path.join(cwd, ".env"));
    expect(env).toEqual({ NODE_ENV: "production", PORT: "4001", LOG_LEVEL: "warn", MAIL_FROM: "Latchkey <id@example.com>" });
  });

  it("does nothing without a .env", () => {
    const env = { NODE_ENV: "development" };
    expect(loadEnvFile(env, folderWith({}))).toBeUndefined();
    expect(env).toEqual({ NODE_ENV: "development" });
  });

  it("leaves .env alone with NODE_ENV=test, so a developer's file cannot reach the tests", () => {
    const env = { NODE_ENV: "test" };
    expect(loadEnvFile(env, folderWith({ ".env": dotEnv }))).toBeUndefined();
    expect(env).toEqual({ NODE_ENV: "test" });
  });

  it("reads the file ENV_FILE names instead, relative to the working directory, even with NODE_ENV=test", () => {
    const cwd = folderWith({ ".env": "LOG_LEVEL=debug\n", "staging.env": dotEnv });
    const env: Record<string, string | undefined> = { NODE_ENV: "test", ENV_FILE: "staging.env" };
    expect(loadEnvFile(env, cwd)).toBe(path.join(cwd, "staging.env"));
    expect(env.LOG_LEVEL).toBe("warn");
    expect(env.PORT).toBe("5000");
  });

  it("refuses an ENV_FILE that does not exist, naming ENV_FILE", () => {
    const env = { ENV_FILE: "missing.env" };
    expect(() => loadEnvFile(env, folderWith({}))).toThrow(ConfigError);
    expect(() => loadEnvFile(env, folderWith({}))).toThrow(/^ENV_FILE names .*missing\.env, which cannot be read \(ENOENT\)/);
  });
});

describe("the server with a settings file", () => {
  it(
    "takes its settings from the file",
    async () => {
      const token = "metrics-token-from-the-env-file";
      const dir = folderWith({ "latchkey.env": `METRICS_TOKEN=${token}\nAPP_SECRET=file-secret-file-secret-file-secret-0001\n` });
      const server = await startServerProcess(
        { ENV_FILE: path.join(dir, "latchkey.env"), DATA_DIR: path.join(dir, "data") },
        { startTimeoutMs: spawnTimeout },
      );
      try {
        // /metrics is open in tests unless METRICS_TOKEN is set: here only the file sets it.
        expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
        expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      } finally {
        await server.stop();
      }
    },
    spawnTimeout,
  );

  it(
    "lets the environment override the file, and reports the file's bad values like any other",
    async () => {
      const dir = folderWith({ "latchkey.env": "TRUST_PROXY=lots\nQUERY_MAX_DEPTH=0\n" });
      const exit = await runUntilExit(
        { ENV_FILE: path.join(dir, "latchkey.env"), QUERY_MAX_DEPTH: "15", APP_SECRET: "file-secret-file-secret-file-secret-0001", DATA_DIR: path.join(dir, "data") },
        { timeoutMs: spawnTimeout },
      );
      expect(exit.code).toBe(2);
      const fatal = exit.logs.filter((line) => line.msg === "invalid configuration");
      expect(fatal.map((line) => line.variable)).toEqual(["TRUST_PROXY"]);
    },
    spawnTimeout,
  );

  it(
    "is read by the operator commands too (migrate)",
    async () => {
      const dir = folderWith({});
      writeFileSync(path.join(dir, "latchkey.env"), `DATA_DIR=${path.join(dir, "data")}\nAPP_SECRET=file-secret-file-secret-file-secret-0001\n`);
      const exit = await runUntilExit({ ENV_FILE: path.join(dir, "latchkey.env") }, { script: "scripts/migrate.ts", timeoutMs: spawnTimeout });
      expect(exit.code).toBe(0);
      expect(exit.logs.some((line) => line.msg === "migrations applied")).toBe(true);
      // The embedded database went where the file said, not to ./data.
      expect(existsSync(path.join(dir, "data", "pglite"))).toBe(true);
    },
    spawnTimeout,
  );
});
