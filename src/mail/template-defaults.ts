/**
 * The mails a folder of templates can replace (MAIL_TEMPLATES_DIR), their placeholders and the
 * built-in texts. A template has three parts, each replaceable by its own file:
 * `<name>.subject`, `<name>.txt` and `<name>.html`.
 */
export const MAIL_TEMPLATE_NAMES = ["password-reset", "email-verification", "email-change", "organization-invitation", "email-code", "magic-link"] as const;
export type MailTemplateName = (typeof MAIL_TEMPLATE_NAMES)[number];

export const MAIL_TEMPLATE_PARTS = ["subject", "txt", "html"] as const;
export type MailTemplatePart = (typeof MAIL_TEMPLATE_PARTS)[number];

export type MailTemplateSource = Record<MailTemplatePart, string>;

/** Placeholders each template may use; `required` must appear in its text and HTML parts. */
export const MAIL_TEMPLATE_PLACEHOLDERS: Record<MailTemplateName, { allowed: readonly string[]; required: readonly string[] }> = {
  "password-reset": { allowed: ["username", "link", "validFor", "reviewLink", "waysIn", "removed"], required: ["link"] },
  "email-verification": { allowed: ["username", "link", "validFor"], required: ["link"] },
  "organization-invitation": { allowed: ["username", "link", "validFor", "organization", "role", "inviter"], required: ["link"] },
  "email-change": { allowed: ["username", "link", "validFor"], required: ["link"] },
  "email-code": { allowed: ["username", "code", "validFor"], required: ["code"] },
  "magic-link": { allowed: ["username", "link", "validFor"], required: ["link"] },
};

const MUTED = `style="font-size: 0.9em; color: #555"`;
const BUTTON = `style="display: inline-block; padding: 10px 16px; background: #1f4fd1; color: #fff; text-decoration: none; border-radius: 4px"`;

/** One look for every mail: a greeting, paragraphs, one button-like link, a closing note. */
function html(paragraphs: string[], action: string, closing: string): string {
  return [
    "<!doctype html>",
    `<html><body style="font-family: sans-serif; line-height: 1.5; color: #222">`,
    "<p>Hello {{username}},</p>",
    ...paragraphs.map((p) => `<p>${p}</p>`),
    `<p><a href="{{link}}" ${BUTTON}>${action}</a></p>`,
    `<p ${MUTED}>If the button does not work, open this address: <br>{{link}}</p>`,
    `<p ${MUTED}>${closing}</p>`,
    "</body></html>",
    "",
  ].join("\n");
}

function text(paragraphs: string[], closing: string): string {
  return ["Hello {{username}},", "", ...paragraphs.flatMap((p) => [p, ""]), "{{link}}", "", closing, ""].join("\n");
}

function template(subject: string, paragraphs: string[], action: string, closing: string): MailTemplateSource {
  return { subject, txt: text(paragraphs, closing), html: html(paragraphs, action, closing) };
}

export const DEFAULT_MAIL_TEMPLATES: Record<MailTemplateName, MailTemplateSource> = {
  "password-reset": template(
    "Reset your password",
    [
      "Someone (hopefully you) asked to reset the password of your account.",
      "Open the link below to choose a new password. It works once, for {{validFor}}, and signs you out everywhere.",
      "The reset also clears your secret passkey (the offline recovery secret): set it again once you are signed in.{{removed}}",
      "{{waysIn}} Review the security of your account at {{reviewLink}}",
    ],
    "Choose a new password",
    "If you did not ask for this, ignore this mail: your password stays as it is.",
  ),
  "email-verification": template(
    "Confirm your e-mail address",
    ["Open the link below to confirm that this address belongs to your account. It works once, for {{validFor}}."],
    "Confirm this address",
    "If you did not sign up or change your address, ignore this mail.",
  ),
  "email-change": template(
    "Confirm your new e-mail address",
    [
      "Someone (hopefully you) asked to make this the e-mail address of your account.",
      "Open the link below to confirm it. It works once, for {{validFor}}; until then the account keeps its current address.",
    ],
    "Confirm this address",
    "If you did not ask for this, ignore this mail: nothing changes.",
  ),
  "organization-invitation": template(
    "You are invited to join {{organization}}",
    [
      "{{inviter}} invited this address to join the organization {{organization}} as {{role}}.",
      "Open the link below to accept: sign in with the account whose verified address is this one, or sign up with it. It works once, for {{validFor}}.",
    ],
    "Accept the invitation",
    "If you do not expect this invitation, ignore this mail: nothing changes.",
  ),
  // No link: the code is for a device where following one is awkward, and it is typed there.
  "email-code": {
    subject: "Your sign-in code",
    txt: [
      "Hello {{username}},",
      "",
      "Someone (hopefully you) asked to sign in to your account with a code sent by e-mail. Your code is:",
      "",
      "{{code}}",
      "",
      "Type it where you asked for it. It works once, for {{validFor}}. Never tell it to anyone: we will never ask you for it.",
      "",
      "If you did not ask for this, ignore this mail: nobody can sign in without the code.",
      "",
    ].join("\n"),
    html: [
      "<!doctype html>",
      `<html><body style="font-family: sans-serif; line-height: 1.5; color: #222">`,
      "<p>Hello {{username}},</p>",
      "<p>Someone (hopefully you) asked to sign in to your account with a code sent by e-mail. Your code is:</p>",
      `<p style="font-size: 1.6em; font-family: monospace; letter-spacing: 0.15em"><strong>{{code}}</strong></p>`,
      "<p>Type it where you asked for it. It works once, for {{validFor}}. Never tell it to anyone: we will never ask you for it.</p>",
      `<p ${MUTED}>If you did not ask for this, ignore this mail: nobody can sign in without the code.</p>`,
      "</body></html>",
      "",
    ].join("\n"),
  },
  "magic-link": template(
    "Your sign-in link",
    [
      "Someone (hopefully you) asked to sign in with this e-mail address.",
      "Open the link below to sign in. It works once, for {{validFor}}. If you asked from a browser, open it in that same browser.",
    ],
    "Sign in",
    "If you did not ask for this, ignore this mail: nobody signs in without the link.",
  ),
};
