import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildClientIfStale } from "./client-build";

export const SPA_DIR = path.join(__dirname, "..", "..", "examples", "spa");

/**
 * Builds examples/spa from its current sources into a folder of this suite's own (so suites in
 * parallel workers never write one another's build), after @latchkey/client when it is stale.
 * `mode: "development"` keeps the development build's readable errors; the default is the
 * production build `npm run build` makes.
 */
export async function buildSpa(options: { mode?: "development" | "production" } = {}): Promise<string> {
  const vite = path.join(SPA_DIR, "node_modules", "vite", "bin", "vite.js");
  if (!existsSync(vite)) throw new Error("examples/spa has no node_modules: run `npm --prefix examples/spa ci` first");
  await buildClientIfStale();
  const outDir = mkdtempSync(path.join(tmpdir(), "latchkey-spa-"));
  const mode = options.mode === "development" ? ["--mode", "development"] : [];
  await promisify(execFile)(process.execPath, [vite, "build", ...mode, "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"], { cwd: SPA_DIR });
  return outDir;
}
