import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser, registerVerifiedUser } from "./support/accounts";
import { linkToken, useServerWithSmtp, type TestSmtpServer } from "./support/smtp";
import { REQUEST_RESET, RESET_SUBJECT, VERIFY_SUBJECT, deliverMail, mailsTo } from "./support/recovery";
import { mailParts, partOf } from "./support/mail-parts";
import { addPasskey } from "./support/passkeys";
import { runUntilExit } from "./support/server-exit";
import { ConfigError } from "../src/config";
import { loadMailTemplates } from "../src/mail/load-mail-templates";
import { MailTemplates } from "../src/mail/templates";
import { DEFAULT_MAIL_TEMPLATES } from "../src/mail/template-defaults";

// Every mail has a plain-text and an HTML part; an operator may replace any part of a template
// with a file, checked at start; values never reach the HTML part unescaped.

const HOSTILE = `<img src=x onerror="alert(1)">`;

function templateDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-templates-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

async function requestReset(server: TestServer, smtp: TestSmtpServer, email: string) {
  expect((await server.gql(REQUEST_RESET, { email })).body).toEqual({ data: { requestPasswordReset: true } });
  await deliverMail(server);
  const mails = mailsTo(smtp, email, RESET_SUBJECT);
  expect(mails).toHaveLength(1);
  return mails[0];
}

describe.each(testDatabases)("mail templates on %s", (kind) => {
  describe("the built-in templates", () => {
    let smtp: TestSmtpServer;
    let server: TestServer;
    useServerWithSmtp(kind, (started) => ({ smtp, server } = started));

    it("send multipart/alternative mail whose text and HTML parts both survive the outbox and carry the link", async () => {
      const user = await registerUser(server);
      await deliverMail(server);
      const [mail] = mailsTo(smtp, user.email, VERIFY_SUBJECT);
      const { contentType, parts } = mailParts(mail);
      expect(contentType).toMatch(/^multipart\/alternative;/);
      expect(parts.map((part) => part.contentType.split(";")[0])).toEqual(["text/plain", "text/html"]);
      const token = linkToken(mail, "/verify-email");
      expect(partOf(mail, "text/plain")).toContain(`Hello ${user.username},`);
      expect(partOf(mail, "text/plain")).toContain(`http://localhost:4000/verify-email?token=${token}`);
      expect(partOf(mail, "text/html")).toContain(`<a href="http://localhost:4000/verify-email?token=${token}"`);
      expect(partOf(mail, "text/html")).toMatch(/^<!doctype html>/);
    });

    it("escape a hostile passkey name in the HTML part and keep it as written in the text part", async () => {
      const user = await registerVerifiedUser(server);
      const { accessToken } = await login(server, user.username);
      await addPasskey(server, accessToken, { name: HOSTILE });
      const mail = await requestReset(server, smtp, user.email);
      const html = partOf(mail, "text/html");
      expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
      expect(html).not.toContain("<img");
      expect(partOf(mail, "text/plain")).toContain(`passkeys "${HOSTILE}"`);
    });
  });

  describe("a folder of replacements (MAIL_TEMPLATES_DIR)", () => {
    let smtp: TestSmtpServer;
    let server: TestServer;
    const dir = templateDir({
      "password-reset.subject": "Your {{ username }} reset at Acme\n",
      "password-reset.txt": "Acme says hi {{username}}. Reset within {{validFor}}: {{link}}\n",
      "password-reset.html": `<p>Acme: <a href="{{link}}">reset</a> for <b>{{username}}</b>; {{waysIn}}</p>\n`,
      "README.md": "Not a template: ignored.\n",
    });
    useServerWithSmtp(kind, (started) => ({ smtp, server } = started), { env: { MAIL_TEMPLATES_DIR: dir } });

    it("replaces the parts it has files for; the others keep the built-in text", async () => {
      const user = await registerVerifiedUser(server);
      const { accessToken } = await login(server, user.username);
      await addPasskey(server, accessToken, { name: HOSTILE });
      await deliverMail(server);
      const subject = `Your ${user.username} reset at Acme`;
      expect((await server.gql(REQUEST_RESET, { email: user.email })).body).toEqual({ data: { requestPasswordReset: true } });
      await deliverMail(server);
      expect(mailsTo(smtp, user.email, RESET_SUBJECT)).toHaveLength(0);
      const [mail] = mailsTo(smtp, user.email, subject);
      const token = linkToken(mail, "/reset-password");
      expect(partOf(mail, "text/plain").trim()).toBe(`Acme says hi ${user.username}. Reset within 30 minutes: http://localhost:4000/reset-password?token=${token}`);
      const html = partOf(mail, "text/html");
      expect(html).toContain(`<p>Acme: <a href="http://localhost:4000/reset-password?token=${token}">reset</a> for <b>${user.username}</b>;`);
      expect(html).toContain("&lt;img src=x");
      expect(html).not.toContain("<img");

      // No file for the verification mail: the built-in one, both parts.
      const verification = mailsTo(smtp, user.email, VERIFY_SUBJECT);
      expect(verification).toHaveLength(1);
      expect(partOf(verification[0], "text/plain")).toContain("Open the link below to confirm that this address belongs to your account.");
    });
  });
});

describe("MailTemplates", () => {
  it("escapes every value in the HTML part, subject and text keep them as they are", () => {
    const templates = new MailTemplates({
      ...DEFAULT_MAIL_TEMPLATES,
      "email-change": { subject: "For {{username}}", txt: "{{username}} {{link}}", html: "<p>{{username}}</p><a href='{{link}}'>go</a>" },
    });
    const mail = templates.emailChange({ username: `<script>x</script>`, link: `https://app.example/confirm-email?token=a'b&c`, validForMs: 60_000 });
    expect(mail.html).toBe("<p>&lt;script&gt;x&lt;/script&gt;</p><a href='https://app.example/confirm-email?token=a&#39;b&amp;c'>go</a>");
    expect(mail.text).toBe(`<script>x</script> https://app.example/confirm-email?token=a'b&c`);
    expect(mail.subject).toBe("For <script>x</script>");
  });

  it("keeps a subject to one line whatever a value holds", () => {
    const mail = new MailTemplates().render("email-verification", { username: "a\r\nBcc: x@example.com", link: "l", validFor: "1 minute" });
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});

describe("a bad template folder stops the start", () => {
  function problemsOf(dir: string): string[] {
    try {
      loadMailTemplates(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems.map((entry) => `${entry.variable}|${entry.problem}`);
    }
    throw new Error("expected a ConfigError");
  }

  it("names each file with an unknown placeholder, a missing {{link}}, or a name that replaces nothing, all at once", () => {
    const dir = templateDir({
      "password-reset.txt": "Hi {{username}}, your code is {{code}}: {{link}}",
      "email-verification.html": "<p>Hello {{username}}, you are verified.</p>",
      "pasword-reset.txt": "{{link}}",
      "email-change.subject": "Two\nlines",
    });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(4);
    expect(problems.every((problem) => problem.startsWith("MAIL_TEMPLATES_DIR|MAIL_TEMPLATES_DIR: "))).toBe(true);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/password-reset\.txt has the unknown placeholder \{\{code\}\}/),
        expect.stringMatching(/email-verification\.html must contain \{\{link\}\}/),
        expect.stringMatching(/pasword-reset\.txt replaces no template/),
        expect.stringMatching(/email-change\.subject must be one line/),
      ]),
    );
  });

  it("names a folder that cannot be read", () => {
    expect(problemsOf(path.join(tmpdir(), "latchkey-no-such-templates"))).toEqual([expect.stringMatching(/cannot read the folder .*latchkey-no-such-templates/)]);
  });

  it("makes the server exit with code 2 and the file named in its log", async () => {
    const dir = templateDir({ "password-reset.html": "<p>No link here, {{username}}</p>" });
    const exit = await runUntilExit(
      { APP_SECRET: "test-secret-test-secret-test-secret-0123456789", DATA_DIR: mkdtempSync(path.join(tmpdir(), "latchkey-start-")), MAIL_TEMPLATES_DIR: dir },
      { timeoutMs: 120_000 },
    );
    expect(exit.code).toBe(2);
    const fatal = exit.logs.filter((line) => line.msg === "invalid configuration");
    expect(fatal).toEqual([expect.objectContaining({ variable: "MAIL_TEMPLATES_DIR", problem: expect.stringContaining("password-reset.html must contain {{link}}") })]);
  }, 150_000);
});
