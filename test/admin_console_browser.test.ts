import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { STRONG_PASSWORD, login, registerVerifiedUser, uniqueName, type RegisteredUser } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME, seedUsers } from "./support/admin";
import { BEGIN_TOTP, CONFIRM, nextTotpCode, nextTotpStep } from "./support/two-factor";
import { totpFor } from "./support/otp";
import { startSmtpServer, type TestSmtpServer } from "./support/smtp";
import { freePort } from "./support/ports";
import { launchChromium, screenshot, watchedPage, type PageWatch } from "./support/browser";
import { buildConsole } from "./support/console-build";

const AXE = path.join(__dirname, "..", "node_modules", "axe-core", "axe.min.js");

/**
 * axe-core's checks on the page as it is now; serious and critical violations fail the test.
 * The console's CSP allows no inline script, so axe is evaluated through the DevTools protocol
 * (page.evaluate) rather than added as a <script> element, which the policy would block.
 */
async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(readFileSync(AXE, "utf8"));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: { target: string[] }) => n.target.join(" ")) }));
  });
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect([name, blocking]).toEqual([name, []]);
}

// The admin console at /admin, served by the server itself, in headless Chromium: an ADMIN with
// two-factor authentication signs in, finds one user among 500 by part of the address, opens
// them and acts on the account. Browser behaviour does not depend on the database, so one kind.
describe(`the admin console in a browser (${testDatabases[0]})`, () => {
  let server: TestServer;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let context: BrowserContext;
  let watch: PageWatch;
  let base: string;
  let adminSecret: string;
  let target: RegisteredUser;
  const suffix = uniqueName("x").slice(2);
  const targetEmail = `ada.lovelace.${suffix}@analytical-engines.example`;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    const [launched, mail] = await Promise.all([launchChromium(), startSmtpServer(), buildConsole()]);
    browser = launched;
    smtp = mail;
    server = await startTestServer(testDatabases[0], {
      env: {
        ...ADMIN_ENV,
        PORT: String(port),
        // The console's origin: allowed for cookies and CSRF, the base of links in mails.
        PUBLIC_URL: base,
        SMTP_URL: smtp.url,
        MAIL_POLL_INTERVAL: "1h",
        WEBHOOK_ALLOW_PRIVATE: "true",
        WEBHOOK_POLL_INTERVAL: "1h",
        // The test moves the clock past REAUTH_MAX_AGE (10m) without the session going idle.
        SESSION_IDLE_TIMEOUT: "1h",
      },
    });

    // The ADMIN turns on TOTP through the API.
    const { accessToken } = await login(server, ADMIN_USERNAME, ADMIN_PASSWORD);
    const begun = await server.gql(BEGIN_TOTP, {}, { token: accessToken });
    adminSecret = begun.body.data.beginTotpEnrollment.secret;
    const confirmed = await server.gql(CONFIRM, { code: nextTotpCode(server, adminSecret) }, { token: accessToken });
    expect(confirmed.body.errors).toBeUndefined();

    // One real account to find, signed in on two devices, among 499 seeded ones.
    target = await registerVerifiedUser(server, { email: targetEmail });
    await login(server, target.username);
    await login(server, target.username);
    await seedUsers(
      server,
      Array.from({ length: 499 }, (_, i) => ({
        username: `member_${suffix}_${String(i).padStart(3, "0")}`,
        email: `member${i}.${suffix}@example.org`,
        name: `Member ${i}`,
        emailVerified: i % 2 === 0,
      })),
    );

    // A webhook endpoint with a delivery to show (never sent: the sender polls hourly).
    const hook = await server.gql(
      `mutation ($url: String!) { createWebhookEndpoint(url: $url, events: ["user.created"]) { endpoint { id } } }`,
      { url: "http://127.0.0.1:9/hooks/latchkey" },
      { token: accessToken },
    );
    expect(hook.body.errors).toBeUndefined();
    await registerVerifiedUser(server);

    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    watch = await watchedPage(context);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
  });

  it("signs an ADMIN in with two-factor, finds a user among 500 and acts on the account", async () => {
    const { page } = watch;
    const prisma = server.app.database.prisma;

    // Sign-in: password, then the code the authenticator shows.
    await page.goto(`${base}/admin`);
    const signIn = page.getByRole("form", { name: "Sign in" });
    await signIn.waitFor();
    await expectAccessible(page, "sign-in");
    await screenshot(page, "console-sign-in");
    await signIn.getByLabel("Username or e-mail").fill(ADMIN_USERNAME);
    await signIn.getByLabel("Password").fill(ADMIN_PASSWORD);
    await signIn.getByRole("button", { name: "Sign in", exact: true }).click();
    const twoFactor = page.getByRole("form", { name: "Two-factor code" });
    await twoFactor.waitFor();
    await expectAccessible(page, "two-factor");
    await twoFactor.getByLabel(/Code from your authenticator app/).fill(totpFor(adminSecret, nextTotpStep(server)));
    await twoFactor.getByRole("button", { name: "Verify" }).click();
    await page.getByTestId("signed-in-as").filter({ hasText: ADMIN_USERNAME }).waitFor();

    // User search: part of the address finds the one account among 500; the address holds the query.
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await page.getByRole("heading", { name: /^Results: 50\d accounts$/ }).waitFor();
    await page.getByLabel("Search by name, username or e-mail").fill(`lovelace.${suffix}@analytical`);
    await page.getByRole("heading", { name: "Results: 1 account" }).waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe(`lovelace.${suffix}@analytical`);
    const rows = page.getByTestId("user-row");
    expect(await rows.count()).toBe(1);
    await expectAccessible(page, "users");
    await screenshot(page, "console-users");

    // Filters and keyset paging live in the address too: a shared link opens the same page.
    await page.goto(`${base}/admin/users?q=${suffix}&verified=yes&sort=username-asc`);
    await page.getByRole("heading", { name: /^Results: 25\d accounts$/ }).waitFor();
    expect(await page.getByLabel("E-mail verified").inputValue()).toBe("yes");
    const firstPage = await rows.first().textContent();
    await page.getByRole("link", { name: "Next page" }).click();
    await page.waitForURL(/after=/);
    await rows.first().filter({ hasNotText: firstPage! }).waitFor();
    await page.goBack();
    await rows.first().filter({ hasText: firstPage! }).waitFor();

    // The user's page, by a link that can be shared.
    await page.goto(`${base}/admin/users?q=${encodeURIComponent(targetEmail)}`);
    await page.getByRole("link", { name: target.username }).click();
    await page.waitForURL(`${base}/admin/users/${target.id}`);
    await page.getByRole("heading", { name: target.username, level: 1 }).waitFor();
    const profile = page.getByRole("region", { name: "Profile" });
    await profile.getByText(`${targetEmail} (verified)`).waitFor();
    await expectAccessible(page, "user");
    await screenshot(page, "console-user");

    // Revoke the user's sessions.
    expect(await prisma.session.count({ where: { userId: target.id, revokedAt: null } })).toBe(2);
    await page.getByRole("button", { name: "Revoke all sessions" }).click();
    await page.getByText("Every session was ended.").waitFor();
    expect(await prisma.session.count({ where: { userId: target.id, revokedAt: null } })).toBe(0);

    // Ban, past REAUTH_MAX_AGE: the console asks for the password, then bans.
    server.clock.advance(11 * 60_000);
    await page.getByRole("button", { name: "Ban", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
    await dialog.waitFor();
    await expectAccessible(page, "reauthentication");
    await dialog.getByLabel("Your password").fill(ADMIN_PASSWORD);
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await page.getByText("Account disabled; its sessions were ended.").waitFor();
    await page.getByRole("heading", { name: `${target.username} disabled`, level: 1 }).waitFor();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).disabled).toBe(true);

    // The audit log, filtered to the account from its page.
    await page.getByRole("link", { name: "All of this account's events" }).click();
    await page.waitForURL(/\/admin\/audit\?userId=/);
    await page.getByTestId("audit-row").filter({ hasText: "USER_DISABLED" }).waitFor();
    await expectAccessible(page, "audit");
    await screenshot(page, "console-audit");

    // Webhooks: the endpoint, its delivery, sent again.
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("link", { name: "http://127.0.0.1:9/hooks/latchkey" }).click();
    await page.getByRole("button", { name: /^Redeliver user\.created/ }).first().click();
    await page.getByText("Queued for delivery again.").waitFor();
    await expectAccessible(page, "webhooks");
    await screenshot(page, "console-webhooks");

    expect(watch.offsiteRequests).toEqual([]);
    expect(watch.errors).toEqual([]);
  }, 180_000);

  it("offers a MODERATOR reading only: no actions, no audit log or webhooks", async () => {
    const moderator = await registerVerifiedUser(server);
    await server.app.database.prisma.user.update({ where: { id: moderator.id }, data: { role: "MODERATOR" } });
    const moderatorContext = await browser.newContext();
    const { page, errors } = await watchedPage(moderatorContext);
    try {
      await page.goto(`${base}/admin/users/${target.id}`);
      const signIn = page.getByRole("form", { name: "Sign in" });
      await signIn.getByLabel("Username or e-mail").fill(moderator.username);
      await signIn.getByLabel("Password").fill(STRONG_PASSWORD);
      await signIn.getByRole("button", { name: "Sign in", exact: true }).click();
      // The deep link still holds after signing in.
      await page.getByRole("heading", { name: new RegExp(`^${target.username}`), level: 1 }).waitFor();
      await page.getByRole("region", { name: "Profile" }).waitFor();
      expect(await page.getByRole("region", { name: "Actions" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: /Ban|Revoke|role/i }).count()).toBe(0);
      const nav = page.getByRole("navigation", { name: "Console" });
      expect(await nav.getByRole("link").allTextContents()).toEqual(["Users"]);
      await expectAccessible(page, "user as moderator");
      expect(errors).toEqual([]);
    } finally {
      await moderatorContext.close();
    }
  }, 60_000);
});
