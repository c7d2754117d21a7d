import type { MailMessage } from "./outbox";

export type RenderedMail = Omit<MailMessage, "to">;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** One look for every mail: a greeting, paragraphs, one button-like link, a closing note. */
function render(input: { subject: string; greeting: string; paragraphs: string[]; action: string; link: string; closing: string }): RenderedMail {
  const text = [input.greeting, "", ...input.paragraphs.flatMap((p) => [p, ""]), input.link, "", input.closing, ""].join("\n");
  const html = [
    "<!doctype html>",
    `<html><body style="font-family: sans-serif; line-height: 1.5; color: #222">`,
    `<p>${escapeHtml(input.greeting)}</p>`,
    ...input.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(input.link)}" style="display: inline-block; padding: 10px 16px; background: #1f4fd1; color: #fff; text-decoration: none; border-radius: 4px">${escapeHtml(input.action)}</a></p>`,
    `<p style="font-size: 0.9em; color: #555">If the button does not work, open this address: <br>${escapeHtml(input.link)}</p>`,
    `<p style="font-size: 0.9em; color: #555">${escapeHtml(input.closing)}</p>`,
    "</body></html>",
  ].join("\n");
  return { subject: input.subject, text, html };
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  return `${hours} hours`;
}

export function passwordResetMail(input: {
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
  return render({
    subject: "Reset your password",
    greeting: `Hello ${input.username},`,
    paragraphs: [
      "Someone (hopefully you) asked to reset the password of your account.",
      `Open the link below to choose a new password. It works once, for ${duration(input.validForMs)}, and signs you out everywhere.`,
      "The reset also clears your secret passkey (the offline recovery secret): set it again once you are signed in." +
        (input.removed ? " Passkeys and sign-in providers added before this address was verified are removed." : ""),
      stays.length > 0
        ? `Other ways into your account stay as they are: ${stays.join("; ")}. If you do not recognise one, remove it: ${input.reviewLink}`
        : `Your account has no other way in (no passkey, no linked provider). Review its security at ${input.reviewLink}`,
    ],
    action: "Choose a new password",
    link: input.link,
    closing: "If you did not ask for this, ignore this mail: your password stays as it is.",
  });
}

export function emailVerificationMail(input: { username: string; link: string; validForMs: number }): RenderedMail {
  return render({
    subject: "Confirm your e-mail address",
    greeting: `Hello ${input.username},`,
    paragraphs: [`Open the link below to confirm that this address belongs to your account. It works once, for ${duration(input.validForMs)}.`],
    action: "Confirm this address",
    link: input.link,
    closing: "If you did not sign up or change your address, ignore this mail.",
  });
}

export function emailChangeMail(input: { username: string; link: string; validForMs: number }): RenderedMail {
  return render({
    subject: "Confirm your new e-mail address",
    greeting: `Hello ${input.username},`,
    paragraphs: [
      "Someone (hopefully you) asked to make this the e-mail address of your account.",
      `Open the link below to confirm it. It works once, for ${duration(input.validForMs)}; until then the account keeps its current address.`,
    ],
    action: "Confirm this address",
    link: input.link,
    closing: "If you did not ask for this, ignore this mail: nothing changes.",
  });
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
