import type { Browser, ConsoleMessage } from "playwright-core";
import { START_TIMEOUT_MS, startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, login, registerUser, uniqueName } from "./support/accounts";
import { startSmtpServer, type TestSmtpServer } from "./support/smtp";
import { NEW_PASSWORD, REQUEST_RESET, RESET_SUBJECT, VERIFY_SUBJECT, deliverMail, mailsTo } from "./support/recovery";
import { partOf } from "./support/mail-parts";
import { launchChromium, screenshot, watchedPage, type PageWatch } from "./support/browser";
import { startSpaServer, type SpaServer } from "./support/spa-server";
import { buildSpa } from "./support/spa-build";

const CONFIRM_SUBJECT = "Confirm your new e-mail address";
const UPDATE_EMAIL = /* GraphQL */ `mutation ($email: String) { updateProfile(input: { email: $email }) { pendingEmail } }`;

// The mailed links land in the app: with APP_URL set to the example SPA's origin, each link a
// mail carries opens the SPA's page for it in Chromium, and that page finishes the job.
// Browser behaviour does not depend on the database, so one kind.
describe(`links from mails opened in the example app (${testDatabases[0]})`, () => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  let spa: SpaServer;
  let browser: Browser;
  let watch: PageWatch;
  const warnings: string[] = [];

  beforeAll(async () => {
    const [dist, launched] = await Promise.all([buildSpa(), launchChromium()]);
    browser = launched;
    spa = await startSpaServer(dist);
    smtp = await startSmtpServer();
    // PUBLIC_URL stays the API's own address: only the links follow APP_URL.
    server = await startTestServer(testDatabases[0], { env: { APP_URL: spa.url, SMTP_URL: smtp.url, MAIL_POLL_INTERVAL: "1h" } });
    spa.setApi(server.url);
    watch = await watchedPage(await browser.newContext());
    watch.page.on("console", (message: ConsoleMessage) => {
      if (message.type() === "warning") warnings.push(message.text().slice(0, 300));
    });
  }, START_TIMEOUT_MS + 60_000);
  afterAll(async () => {
    await browser?.close();
    await spa?.close();
    await server?.stop();
    await smtp?.stop();
  });

  /** The one link to `page` in the newest mail to `address` with `subject`, from its text part. */
  async function mailedLink(address: string, subject: string, page: string): Promise<string> {
    await deliverMail(server);
    const mails = mailsTo(smtp, address, subject);
    expect(mails.length).toBeGreaterThan(0);
    const text = partOf(mails[mails.length - 1], "text/plain");
    const link = new RegExp(`\\S+/${page}\\?token=[A-Za-z0-9_-]+`).exec(text)?.[0];
    expect(link?.startsWith(`${spa.url}/${page}?token=`)).toBe(true);
    server.secrets.add("link token", new URL(link!).searchParams.get("token"));
    return link!;
  }

  it("verifies the address, resets the password and confirms a new address through the app's pages", async () => {
    const { page } = watch;
    const user = await registerUser(server);

    // The verification link, opened in the browser, confirms the address on load.
    await page.goto(await mailedLink(user.email, VERIFY_SUBJECT, "verify-email"));
    await page.getByRole("status").filter({ hasText: "Your e-mail address is confirmed." }).waitFor();
    await screenshot(page, "spa-verify-email");

    // A reset by mail: the link opens the app's form, which sets the new password.
    expect((await server.gql(REQUEST_RESET, { email: user.email })).body).toEqual({ data: { requestPasswordReset: true } });
    await page.goto(await mailedLink(user.email, RESET_SUBJECT, "reset-password"));
    const form = page.getByRole("form", { name: "New password" });
    await form.getByLabel("New password").fill(NEW_PASSWORD);
    await form.getByLabel("Repeat it").fill(NEW_PASSWORD);
    await form.getByRole("button", { name: "Set password" }).click();
    await page.getByRole("status").filter({ hasText: "Your password was changed" }).waitFor();
    await screenshot(page, "spa-reset-password");
    server.secrets.add("new password", NEW_PASSWORD);

    // The new password signs in over HTTP; the old one no longer does.
    const old = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
    expect(old.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const { accessToken } = await login(server, user.username, NEW_PASSWORD);

    // An e-mail change: the link mailed to the new address makes it the account's.
    const next = `${uniqueName("moved")}@example.org`;
    expect((await server.gql(UPDATE_EMAIL, { email: next }, { token: accessToken })).body.data?.updateProfile.pendingEmail).toBe(next);
    await page.goto(await mailedLink(next, CONFIRM_SUBJECT, "confirm-email"));
    await page.getByRole("status").filter({ hasText: "Your new e-mail address is confirmed" }).waitFor();
    expect((await server.gql(ME, {}, { token: accessToken })).body.data?.me.email).toBe(next);

    expect(watch.offsiteRequests).toEqual([]);
    expect(watch.errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("says what is wrong with a used link instead of failing silently", async () => {
    const { page } = watch;
    const user = await registerUser(server);
    const link = await mailedLink(user.email, VERIFY_SUBJECT, "verify-email");
    expect((await server.gql(`mutation ($token: String!) { verifyEmail(token: $token) { id } }`, { token: new URL(link).searchParams.get("token") })).body.errors).toBeUndefined();
    await page.goto(link);
    await page.getByRole("alert").filter({ hasText: "BAD_USER_INPUT" }).waitFor();
    expect(watch.offsiteRequests).toEqual([]);
  });
});
