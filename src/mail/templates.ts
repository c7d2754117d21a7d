import type { MailMessage } from "./outbox";
import { DEFAULT_MAIL_TEMPLATES, type MailTemplateName, type MailTemplateSource } from "./template-defaults";

export type RenderedMail = Omit<MailMessage, "to">;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  return `${hours} hours`;
}

/** `{{name}}`, spaces inside the braces allowed. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

type Values = Record<string, string>;

/** Fills the placeholders; the HTML part gets every value escaped, never raw. */
function fill(template: string, values: Values, escape: (value: string) => string = (value) => value): string {
  return template.replace(PLACEHOLDER, (_, name: string) => escape(values[name] ?? ""));
}

/**
 * The link mails, from the templates read at start (load-mail-templates.ts): the built-in texts
 * unless MAIL_TEMPLATES_DIR replaces a part. Each mail has a plain-text and an HTML part.
 */
export class MailTemplates {
  constructor(private readonly sources: Record<MailTemplateName, MailTemplateSource> = DEFAULT_MAIL_TEMPLATES) {}

  render(name: MailTemplateName, values: Values): RenderedMail {
    const source = this.sources[name];
    return {
      // One line: a value never adds a header.
      subject: fill(source.subject, values).replace(/[\r\n]+/g, " "),
      text: fill(source.txt, values),
      html: fill(source.html, values, escapeHtml),
    };
  }

  passwordReset(input: {
    username: string;
    link: string;
    validForMs: number;
    /** The app's page for reviewing the ways in. */
    reviewLink: string;
    /** Names of the passkeys the reset leaves in place. */
    passkeys: string[];
    /** Names of the linked providers the reset leaves in place. */
    providers: string[];
    /** Whether the reset will remove passkeys or provider links added before the address was verified. */
    removed: boolean;
  }): RenderedMail {
    const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(", ");
    const stays = [
      ...(input.passkeys.length > 0 ? [`passkeys ${quoted(input.passkeys)}`] : []),
      ...(input.providers.length > 0 ? [`sign-in with ${input.providers.join(", ")}`] : []),
    ];
    return this.render("password-reset", {
      username: input.username,
      link: input.link,
      validFor: duration(input.validForMs),
      reviewLink: input.reviewLink,
      waysIn:
        stays.length > 0
          ? `Other ways into your account stay as they are: ${stays.join("; ")}. If you do not recognise one, remove it.`
          : "Your account has no other way in (no passkey, no linked provider).",
      removed: input.removed ? " Passkeys and sign-in providers added before this address was verified are removed." : "",
    });
  }

  organizationInvitation(input: { link: string; validForMs: number; organization: string; role: string; inviter: string }): RenderedMail {
    return this.render("organization-invitation", {
      // The invited person may have no account yet: the greeting names the address's owner generically.
      username: "there",
      link: input.link,
      validFor: duration(input.validForMs),
      organization: input.organization,
      role: input.role,
      inviter: input.inviter,
    });
  }

  emailVerification(input: { username: string; link: string; validForMs: number }): RenderedMail {
    return this.render("email-verification", { username: input.username, link: input.link, validFor: duration(input.validForMs) });
  }

  /** A sign-in link; `username` is "there" for a link that signs up. */
  magicLink(input: { username: string; link: string; validForMs: number }): RenderedMail {
    return this.render("magic-link", { username: input.username, link: input.link, validFor: duration(input.validForMs) });
  }

  emailChange(input: { username: string; link: string; validForMs: number }): RenderedMail {
    return this.render("email-change", { username: input.username, link: input.link, validFor: duration(input.validForMs) });
  }

  /** The sign-in code mail (requestEmailCode): the code itself, no link. */
  emailCode(input: { username: string; code: string; validForMs: number }): RenderedMail {
    return this.render("email-code", { username: input.username, code: input.code, validFor: duration(input.validForMs) });
  }
}

/**
 * A security notice: what happened and when, no link and no secret. `details` are facts about
 * the event (escaped here); the greeting may hold placeholders the sender fills in (see
 * notices/security-notices.ts), so the text is plain and the HTML escapes everything else.
 */
export function renderNotice(input: { subject: string; greeting: string; paragraphs: string[]; details: Array<[string, string]> }): RenderedMail {
  const closing =
    "If this was you, there is nothing to do. If it was not, sign in and change your password at once, or reset it from the sign-in page.";
  const text = [
    input.greeting,
    "",
    ...input.paragraphs.flatMap((p) => [p, ""]),
    ...input.details.map(([label, value]) => `${label}: ${value}`),
    "",
    closing,
    "",
  ].join("\n");
  const html = [
    "<!doctype html>",
    `<html><body style="font-family: sans-serif; line-height: 1.5; color: #222">`,
    `<p>${escapeHtml(input.greeting)}</p>`,
    ...input.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<ul>${input.details.map(([label, value]) => `<li>${escapeHtml(label)}: ${escapeHtml(value)}</li>`).join("")}</ul>`,
    `<p style="font-size: 0.9em; color: #555">${escapeHtml(closing)}</p>`,
    "</body></html>",
  ].join("\n");
  return { subject: input.subject, text, html };
}
