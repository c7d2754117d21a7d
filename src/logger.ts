import pino, { Logger } from "pino";

export type { Logger };

/** JSON lines on stdout. Secrets are redacted by path as a second line of defence. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "latchkey" },
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
  });
}
