import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { jwtPayload, login, registerUser, uniqueName } from "./support/accounts";
import { linkToken, useServerWithSmtp, type TestSmtpServer } from "./support/smtp";
import { REQUEST_RESET, RESET_SUBJECT, VERIFY_EMAIL, VERIFY_SUBJECT, deliverMail, mailsTo } from "./support/recovery";
import { partOf } from "./support/mail-parts";
import { ConfigError, loadConfig } from "../src/config";

// Links in mails open the app (APP_URL), which may live elsewhere than the API (PUBLIC_URL):
// a link to the API's own address answers 404 in the browser.
const PUBLIC_URL = "http://api.example.test";
const APP_URL = "http://app.example.test";
const CONFIRM_SUBJECT = "Confirm your new e-mail address";
const UPDATE_EMAIL = /* GraphQL */ `mutation ($email: String) { updateProfile(input: { email: $email }) { pendingEmail } }`;

describe.each(testDatabases)("links in mails open APP_URL on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  // A trailing slash is dropped, as for PUBLIC_URL.
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started), { env: { PUBLIC_URL, APP_URL: `${APP_URL}/` } });

  async function onlyMail(address: string, subject: string) {
    await deliverMail(server);
    const mails = mailsTo(smtp, address, subject);
    expect(mails).toHaveLength(1);
    return { mail: mails[0], text: partOf(mails[0], "text/plain"), html: partOf(mails[0], "text/html") };
  }

  it("verification, reset, review and e-mail change links start with APP_URL in both parts, never PUBLIC_URL", async () => {
    const user = await registerUser(server);

    const verification = await onlyMail(user.email, VERIFY_SUBJECT);
    const verifyToken = linkToken(verification.mail, "/verify-email");
    expect(verification.text).toContain(`${APP_URL}/verify-email?token=${verifyToken}`);
    expect(verification.html).toContain(`href="${APP_URL}/verify-email?token=${verifyToken}"`);
    expect((await server.gql(VERIFY_EMAIL, { token: verifyToken })).body.data?.verifyEmail.emailVerified).toBe(true);

    expect((await server.gql(REQUEST_RESET, { email: user.email })).body).toEqual({ data: { requestPasswordReset: true } });
    const reset = await onlyMail(user.email, RESET_SUBJECT);
    const resetToken = linkToken(reset.mail, "/reset-password");
    expect(reset.text).toContain(`${APP_URL}/reset-password?token=${resetToken}`);
    expect(reset.html).toContain(`href="${APP_URL}/reset-password?token=${resetToken}"`);
    expect(reset.text).toContain(`${APP_URL}/security`);

    const next = `${uniqueName("moved")}@example.org`;
    const { accessToken } = await login(server, user.username);
    expect((await server.gql(UPDATE_EMAIL, { email: next }, { token: accessToken })).body.data?.updateProfile.pendingEmail).toBe(next);
    const change = await onlyMail(next, CONFIRM_SUBJECT);
    expect(change.text).toContain(`${APP_URL}/confirm-email?token=${linkToken(change.mail, "/confirm-email")}`);

    for (const { text, html } of [verification, reset, change]) {
      expect(text).not.toContain(PUBLIC_URL);
      expect(html).not.toContain(PUBLIC_URL);
    }
  });

  it("keeps the tokens' issuer on PUBLIC_URL", async () => {
    const user = await registerUser(server);
    expect(jwtPayload((await login(server, user.username)).accessToken).iss).toBe(PUBLIC_URL);
  });

  it("allows APP_URL's origin for browsers besides PUBLIC_URL's, and no other", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/graphql`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
    expect((await preflight(APP_URL)).headers.get("access-control-allow-origin")).toBe(APP_URL);
    expect((await preflight(PUBLIC_URL)).headers.get("access-control-allow-origin")).toBe(PUBLIC_URL);
    expect((await preflight("http://evil.example.test")).headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("APP_URL", () => {
  const base = { NODE_ENV: "test", APP_SECRET: "test-secret-test-secret-test-secret-0123456789", PUBLIC_URL: "https://id.example.com/" };

  it("defaults to PUBLIC_URL", () => {
    expect(loadConfig(base).appUrl).toBe("https://id.example.com");
    expect(loadConfig({ ...base, APP_URL: "" }).appUrl).toBe("https://id.example.com");
  });

  it.each([["app.example.com"], ["ftp://app.example.com"], ["https://app.example.com/?next=1"], ["https://app.example.com/#x"]])(
    "stops start-up on %p, naming the variable",
    (value) => {
      expect(() => loadConfig({ ...base, APP_URL: value })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, APP_URL: value })).toThrow(/APP_URL/);
    },
  );
});
