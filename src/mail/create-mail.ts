import path from "node:path";
import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import { Outbox } from "./outbox";
import { MailSender } from "./mail-sender";
import { SmtpTransport } from "./smtp-transport";

/** The outbox writer and its background sender: SMTP when SMTP_URL is set, else the log. */
export function createMail(prisma: PrismaClient, config: Config, clock: Clock, logger: Logger) {
  const transport = config.smtpUrl ? new SmtpTransport(config.smtpUrl, config.mailFrom) : null;
  const sender = new MailSender(prisma, transport, clock, logger.child({ component: "mail" }), {
    maxAttempts: config.mailMaxAttempts,
    pollIntervalMs: config.mailPollIntervalMs,
    production: config.env === "production",
    devMailbox: path.join(config.dataDir, "mail"),
  });
  return { outbox: new Outbox(clock), sender };
}
