import { execFile } from "node:child_process";
import path from "node:path";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs an operator command from its TypeScript entry (`scripts/<name>.ts`), as `npm run <name>`
 * does: no build, no dist/. Resolves with its exit code and output, whatever the code.
 */
export function runOperatorCommand(script: string, args: string[], env: Record<string, string>): Promise<CommandResult> {
  const root = path.join(__dirname, "..", "..");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", "@swc-node/register", `scripts/${script}.ts`, ...args],
      { cwd: root, env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", ...env }, timeout: 150_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The JSON log lines a command wrote on stdout. */
export function logLines(result: CommandResult): Array<Record<string, any>> {
  return result.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, any>);
}
