import { EmbeddedDatabaseInUseError } from "../src/db/embedded-lock";

/**
 * An operator command that found DATA_DIR's embedded database open in another process (the
 * server, usually) stops before writing anything: one line saying who holds it and what to do.
 */
export function exitIfDatabaseInUse(error: unknown): void {
  if (!(error instanceof EmbeddedDatabaseInUseError)) return;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
