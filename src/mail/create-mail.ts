import path from "node:path";
import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import { Outbox } from "./outbox";
import { OutboxStore } from "./outbox.store";
import { MailSender } from "./mail-sender";
import { SmtpTransport } from "./smtp-transport";
import { loadMailTemplates } from "./load-mail-templates";

export interface MailDependencies {
  prisma: PrismaClient;
  config: Config;
  clock: Clock;
  logger: Logger;
}

/**
 * The outbox writer and its background sender: SMTP when SMTP_URL is set, else the log; and the
 * mail templates, read here once (a bad MAIL_TEMPLATES_DIR file stops the start).
 */
export function createMail(deps: MailDependencies) {
  const { config, clock } = deps;
  const templates = loadMailTemplates(config.mailTemplatesDir);
  const store = new OutboxStore(deps.prisma);
  const transport = config.smtpUrl ? new SmtpTransport(config.smtpUrl, config.mailFrom) : null;
  const sender = new MailSender(store, transport, clock, deps.logger.child({ component: "mail" }), {
    maxAttempts: config.mailMaxAttempts,
    pollIntervalMs: config.mailPollIntervalMs,
    production: config.env === "production",
    devMailbox: path.join(config.dataDir, "mail"),
  });
  return {
    outbox: new Outbox(store, clock),
    templates,
    sender,
    /** The outbox statement parts other statements embed (security notices). */
    store,
    /** Messages neither sent nor failed for good (the outboxDepth metric). */
    outboxDepth: () => store.countWaiting(),
  };
}

export type Mail = ReturnType<typeof createMail>;
