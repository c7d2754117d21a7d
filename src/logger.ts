import pino, { type DestinationStream, type LoggerOptions, Logger } from "pino";

export type { Logger };

/**
 * JSON lines on stdout (or `destination`, which tests use to read the whole log). Secrets are
 * redacted by path as a second line of defence.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
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
  return destination ? pino(options, destination) : pino(options);
}
