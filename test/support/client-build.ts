import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const CLIENT_DIR = path.join(__dirname, "..", "..", "packages", "client");

/** The newest modification time among the files below `dir` (0 when it does not exist). */
function newest(dir: string): number {
  let latest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * Compiles @latchkey/client (which the example app and the console import from its dist/) when
 * its sources changed since the last build. `npm install` builds it, so on a fresh clone no suite
 * compiles it again, and suites in parallel workers do not rewrite the same files while another
 * reads them.
 */
export async function buildClientIfStale(): Promise<void> {
  if (newest(path.join(CLIENT_DIR, "dist")) >= newest(path.join(CLIENT_DIR, "src"))) return;
  const tsc = path.join(__dirname, "..", "..", "node_modules", "typescript", "bin", "tsc");
  await promisify(execFile)(process.execPath, [tsc, "-p", CLIENT_DIR]);
}
