import type { ReceivedMail } from "./smtp";

export interface MailPart {
  contentType: string;
  body: string;
}

function headerValue(headers: string, name: string): string | undefined {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, " ");
  return new RegExp(`^${name}:\\s*(.+)$`, "im").exec(unfolded)?.[1].trim();
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? "7bit").toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      // Each =XX is one byte of the UTF-8 text.
      return Buffer.from(
        body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1",
      ).toString("utf8");
    default:
      return body;
  }
}

/**
 * The top-level content type and the decoded parts of a received message (one level of
 * multipart, which is what the server sends: multipart/alternative with text and HTML).
 */
export function mailParts(mail: ReceivedMail): { contentType: string; parts: MailPart[] } {
  const split = mail.raw.indexOf("\r\n\r\n");
  const headers = mail.raw.slice(0, split);
  const contentType = headerValue(headers, "Content-Type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return { contentType, parts: [{ contentType, body: decodeBody(mail.raw.slice(split + 4), headerValue(headers, "Content-Transfer-Encoding")) }] };
  const sections = mail.raw.split(`--${boundary}`).slice(1, -1);
  const parts = sections.map((section) => {
    const trimmed = section.replace(/^\r\n/, "");
    const end = trimmed.indexOf("\r\n\r\n");
    const partHeaders = trimmed.slice(0, end);
    const body = trimmed.slice(end + 4).replace(/\r\n$/, "");
    return { contentType: headerValue(partHeaders, "Content-Type") ?? "text/plain", body: decodeBody(body, headerValue(partHeaders, "Content-Transfer-Encoding")) };
  });
  return { contentType, parts };
}

/** The decoded body of the part whose content type starts with `type` (e.g. "text/html"). */
export function partOf(mail: ReceivedMail, type: string): string {
  const part = mailParts(mail).parts.find((candidate) => candidate.contentType.toLowerCase().startsWith(type));
  if (!part) throw new Error(`no ${type} part in the mail`);
  return part.body;
}
