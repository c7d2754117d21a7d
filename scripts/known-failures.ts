import { ConfigError } from "../src/config";
import { reportConfigError } from "../src/config/config-report";
import { EmbeddedDatabaseInUseError } from "../src/db/embedded-lock";
import { createLogger } from "../src/logger";

/**
 * The failures an operator command explains in its own words instead of a stack trace: a
 * setting to fix (every problem, one line each, exit 2, as the server does), or DATA_DIR's
 * embedded database open in another process (the server, usually), found before anything was
 * written (one line saying who holds it and what to do, exit 1).
 */
export function exitOnKnownFailure(error: unknown): void {
  if (error instanceof ConfigError) {
    reportConfigError(error, createLogger("info"));
    process.exit(2);
  }
  if (!(error instanceof EmbeddedDatabaseInUseError)) return;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
