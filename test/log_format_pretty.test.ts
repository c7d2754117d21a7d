import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { postGraphQL } from "./support/process-client";
import { LOGIN, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";

const ROOT = path.join(__dirname, "..");

interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `src/main.ts` as its own process, keeping everything it writes (test/support/server-process.ts reads JSON only). */
function spawnServer(env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ["-r", "@swc-node/register", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves once `output` matches, with the match; rejects when the process exits first. */
function waitForOutput(server: Spawned, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = pattern.exec(server.output());
      if (!found) return false;
      server.child.stdout!.off("data", check);
      resolve(found);
      return true;
    };
    if (check()) return;
    server.child.stdout!.on("data", check);
    void server.exited.then((code) => {
      if (!check()) reject(new Error(`server exited with ${code}:\n${server.output()}`));
    });
  });
}

// LOG_FORMAT=pretty is for a person reading a terminal during development: readable lines,
// the same fields, and the same redaction as the JSON a collector gets.
describe("LOG_FORMAT=pretty", () => {
  let server: Spawned;
  let url: string;
  const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-pretty-"));

  beforeAll(async () => {
    server = spawnServer({ LOG_FORMAT: "pretty", DATA_DIR: dataDir, APP_SECRET: "pretty-secret-pretty-secret-pretty-secret-1" });
    const listening = await waitForOutput(server, /Latchkey is listening\n\s+url: "(http:\/\/[^"]+)\/graphql"/);
    url = listening[1];
  }, 120_000);

  afterAll(async () => {
    if (server.child.exitCode === null) {
      server.child.kill("SIGTERM");
      await server.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("writes readable lines, not JSON, with the access line's fields and no secret", async () => {
    const username = uniqueName("pretty");
    const registered = await postGraphQL(url, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
    expect(registered.body.errors).toBeUndefined();
    const signedIn = await postGraphQL(url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
    const { accessToken, refreshToken } = signedIn.body.data.login;
    expect((await postGraphQL(url, "query WhoAmI { me { id } }", {}, accessToken)).body.data.me.id).toBe(registered.body.data.register.userId);
    await waitForOutput(server, /operationName: "WhoAmI"/);

    const output = server.output();
    // pino-pretty's shape: "[time] LEVEL (pid): message", then the fields indented below.
    expect(output).toMatch(/^\[[\d:.]+\] INFO \(\d+\): Latchkey is listening$/m);
    expect(output).toMatch(/INFO \(\d+\): request completed\n(\s+.*\n)*?\s+operationType: "mutation"/);
    // Not a terminal here: no colour codes.
    expect(output).not.toContain("\u001b[");
    for (const line of output.split("\n").filter(Boolean)) expect(line.trim().startsWith('{"level"')).toBe(false);
    for (const secret of [STRONG_PASSWORD, SECRET_PASSKEY, accessToken, refreshToken]) expect(output).not.toContain(secret);
  }, 60_000);
});

describe("LOG_FORMAT with a value it does not know", () => {
  it("stops start-up, naming LOG_FORMAT", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-pretty-bad-"));
    try {
      const server = spawnServer({ LOG_FORMAT: "yaml", DATA_DIR: dataDir, APP_SECRET: "pretty-secret-pretty-secret-pretty-secret-1" });
      const code = await server.exited;
      expect(code).not.toBe(0);
      expect(server.output()).toContain("LOG_FORMAT");
      expect(server.output()).toContain("yaml");
      expect(server.output()).not.toContain("Latchkey is listening");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
