import pino, { type DestinationStream, type LoggerOptions, Logger } from "pino";

export type { Logger };

/** LOG_FORMAT: JSON lines for collectors, or readable lines for a person at a terminal. */
export type LogFormat = "json" | "pretty";

/** pino-pretty, loaded only when asked for: it takes tens of milliseconds to load, for nothing in production. */
function prettyStream(): DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  const pretty = require("pino-pretty") as typeof import("pino-pretty");
  return pretty({
    // Colour codes would litter a file or a pipe.
    colorize: process.stdout.isTTY === true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "service",
    // As pino's own stdout: a line is out before process.exit() ends the process.
    sync: true,
  });
}

/**
 * JSON lines on stdout (or `destination`, which tests use to read the whole log); with
 * `format` "pretty", readable lines on stdout instead. Secrets are redacted by path as a second
 * line of defence, before either format sees a line.
 */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = "json"): Logger {
  const options: LoggerOptions = {
    level,
    // pid tells apart the processes of one server (WORKERS) in a shared log.
    base: { service: "latchkey", pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "*.password",
        "*.newPassword",
        "*.currentPassword",
        "*.secretPasskey",
        "*.refreshToken",
        "*.accessToken",
        "*.token",
      ],
      censor: "[redacted]",
    },
  };
  const target = destination ?? (format === "pretty" ? prettyStream() : undefined);
  return target ? pino(options, target) : pino(options);
}
