import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { buildClientIfStale } from "./client-build";

export const CONSOLE_DIR = path.join(__dirname, "..", "..", "console");

/**
 * Builds the admin console from its current sources (a production build, as `npm run build`
 * makes it) into `outDir`, after compiling @latchkey/client (which it imports) when it is
 * stale. Tests that only read a build pass a folder of their own, so two suites never write the
 * same one at once.
 */
export async function buildConsole(outDir = path.join(CONSOLE_DIR, "dist")): Promise<string> {
  const vite = path.join(CONSOLE_DIR, "node_modules", "vite", "bin", "vite.js");
  if (!existsSync(vite)) throw new Error("console has no node_modules: run `npm --prefix console ci` first");
  await buildClientIfStale();
  await promisify(execFile)(process.execPath, [vite, "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], { cwd: CONSOLE_DIR });
  return outDir;
}
