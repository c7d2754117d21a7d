import nodemailer, { type Transporter } from "nodemailer";
import type { MailMessage } from "./outbox";

/** Delivers one message or throws; the sender decides about retries. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

// Short enough that a send ends well within the sender's lease on the row (mail-sender.ts).
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

/** SMTP through nodemailer; SMTP_URL is e.g. smtp://user:pass@host:587 or smtps://host:465. */
export class SmtpTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string, from: string) {
    this.transporter = nodemailer.createTransport({ url, ...TIMEOUTS }, { from });
  }

  async send(message: MailMessage): Promise<void> {
    await this.transporter.sendMail({
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
    });
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * A 5xx answer to the message itself (sender, recipient, content) will not change on retry.
 * Connection failures, timeouts, 4xx and authentication problems (an operator can fix the
 * configuration) are retried.
 */
export function isPermanentFailure(error: unknown): boolean {
  const err = error as { permanent?: boolean; responseCode?: number; code?: string } | null;
  if (!err || err.code === "EAUTH") return false;
  if (typeof err.permanent === "boolean") return err.permanent;
  return typeof err.responseCode === "number" && err.responseCode >= 500 && err.responseCode < 600 && err.responseCode !== 503;
}
