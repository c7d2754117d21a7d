import { spawn } from "node:child_process";
import path from "node:path";

export interface ServerExit {
  /** The exit code (null: ended by a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout's JSON log lines. */
  logs: Array<Record<string, any>>;
}

/**
 * Starts `src/main.ts` (or `script`) as startServerProcess does, for a start that must fail:
 * resolves with its exit code and output once it exits. One that starts listening instead is
 * stopped, and the promise rejects with what it wrote.
 */
export function runUntilExit(env: Record<string, string>, options: { script?: string; timeoutMs?: number } = {}): Promise<ServerExit> {
  const root = path.join(__dirname, "..", "..");
  const child = spawn(process.execPath, ["-r", "@swc-node/register", options.script ?? "src/main.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${reason}:\n${stdout}\n${stderr}`));
    };
    const timer = setTimeout(() => fail("did not exit in time"), options.timeoutMs ?? 60_000);
    child.stdout.on("data", () => {
      if (stdout.includes('"msg":"Latchkey is listening"')) fail("started instead of refusing to");
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      const logs = stdout.split("\n").flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, any>];
        } catch {
          return [];
        }
      });
      resolve({ code, stdout, stderr, logs });
    });
  });
}
