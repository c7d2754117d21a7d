import type { Logger } from "../logger";
import type { ConfigError } from "./config-error";

/**
 * Tells the operator every configuration problem at once: one JSON log line each (with the
 * variable, for log search) and the same list as plain lines on stderr, for a person at a
 * terminal or reading `docker logs`. The caller exits with code 2.
 */
export function reportConfigError(error: ConfigError, logger: Logger, stderr: NodeJS.WritableStream = process.stderr): void {
  for (const { variable, problem } of error.problems) logger.fatal({ variable, problem }, "invalid configuration");
  const count = error.problems.length;
  stderr.write(
    `Latchkey cannot start: ${count === 1 ? "a configuration problem" : `${count} configuration problems`} (see docs/configuration.md):\n` +
      error.problems.map(({ problem }) => `  - ${problem}\n`).join(""),
  );
}
