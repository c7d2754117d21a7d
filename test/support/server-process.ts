import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `src/main.ts` as a separate process and resolves once it logs where it listens. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const root = path.join(__dirname, "..", "..");
  const child = spawn(process.execPath, ["-r", "@swc-node/register", "src/main.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      for (const line of chunk.toString().split("\n")) {
        if (!line.includes("Latchkey is listening")) continue;
        clearTimeout(timer);
        const url = (JSON.parse(line).url as string).replace(/\/graphql$/, "");
        resolve({
          url,
          child,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}
