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
import { RESET_SUBJECT, deliverMail } from "./support/recovery";
import { launchChromium, screenshot, watchedPage, type PageWatch } from "./support/browser";
import { buildConsole } from "./support/console-build";

const AXE = path.join(__dirname, "..", "node_modules", "axe-core", "axe.min.js");
// The package's exports map hides its browser bundle from require.resolve: take it by path.
const WEBAUTHN_BUNDLE = path.join(__dirname, "..", "node_modules", "@simplewebauthn", "browser", "dist", "bundle", "index.umd.min.js");

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
// them and acts on the account: revokes a session (the list follows sign-ins live), bans with a
// reason until tomorrow, mails a reset, impersonates them. Browser behaviour does not depend on
// the database, so one kind.
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

  it("signs an ADMIN in with two-factor, finds a user among 500, acts on the account and impersonates it", async () => {
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

    // The sessions, live: one revoked from the list; a new sign-in elsewhere appears unasked.
    const sessionRows = page.getByTestId("user-session");
    // The list holds exactly n sessions, within a few seconds (a live update, not a reload).
    const sessionsListed = (n: number) =>
      page.waitForFunction((count) => document.querySelectorAll('[data-testid="user-session"]').length === count, n, { timeout: 5_000 });
    await page.getByText("Updated live as sessions start and end.").waitFor();
    await sessionsListed(2);
    const active = () => prisma.session.count({ where: { userId: target.id, revokedAt: null } });
    expect(await active()).toBe(2);
    await sessionRows.first().getByRole("button", { name: /^Revoke the session/ }).click();
    await page.getByText("Session revoked.").waitFor();
    await sessionsListed(1);
    expect(await active()).toBe(1);
    await login(server, target.username);
    await sessionsListed(2);
    await page.getByRole("region", { name: "Audit trail" }).getByText("SESSION_REVOKED").waitFor();
    await screenshot(page, "console-user");

    // Ban with a reason until tomorrow, past REAUTH_MAX_AGE: the console asks for the password, then bans.
    server.clock.advance(11 * 60_000);
    const tomorrow = await page.evaluate(() => {
      const at = new Date(Date.now() + 24 * 3600_000);
      return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    });
    const ban = page.getByRole("form", { name: "Ban" });
    await ban.getByLabel(/^Reason/).fill("Spam in the forum");
    await ban.getByLabel(/^Until/).fill(tomorrow);
    await ban.getByRole("button", { name: "Ban", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
    await dialog.waitFor();
    await expectAccessible(page, "reauthentication");
    await dialog.getByLabel("Your password").fill(ADMIN_PASSWORD);
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await page.getByText("Account banned; its sessions were ended.").waitFor();
    await page.getByRole("heading", { name: `${target.username} disabled`, level: 1 }).waitFor();
    await page.getByRole("region", { name: "Access" }).getByText("Spam in the forum").waitFor();
    const banned = await prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(banned).toMatchObject({ disabled: true, disabledReason: "Spam in the forum" });
    expect(Math.abs(banned.disabledUntil!.getTime() - (Date.now() + 24 * 3600_000))).toBeLessThan(2 * 60_000);
    expect(await active()).toBe(0);
    await sessionsListed(0);

    // A password reset link, mailed.
    await page.getByRole("button", { name: "Send password reset" }).click();
    await page.getByText("Reset link sent.").waitFor();
    await deliverMail(server);
    const resetMail = smtp.to(targetEmail).find((mail) => /\/reset-password\?token=/.test(mail.decoded));
    expect(resetMail?.decoded).toContain(`Subject: ${RESET_SUBJECT}`);

    // Lift the ban, edit the profile.
    await page.getByRole("form", { name: "Banned" }).getByRole("button", { name: "Unban" }).click();
    await page.getByText("Ban lifted.").waitFor();
    await page.getByRole("heading", { name: target.username, exact: true, level: 1 }).waitFor();
    const edit = page.getByRole("form", { name: "Edit" });
    await edit.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("region", { name: "Profile" }).getByText("Ada Lovelace").waitFor();

    // Impersonate the USER: the console shows what they see under a banner that ends it.
    const impersonate = page.getByRole("form", { name: "Impersonate" });
    await impersonate.getByLabel("Reason for the audit trail").fill("Ticket 4711: cannot find the profile page");
    await impersonate.getByRole("button", { name: "Impersonate" }).click();
    const banner = page.getByRole("region", { name: new RegExp(`^Impersonating ${target.username}, started by ${ADMIN_USERNAME}`) });
    await banner.waitFor();
    await page.getByRole("heading", { name: `What ${target.username} sees`, level: 1 }).waitFor();
    await page.getByText("(this impersonation)").waitFor();
    await expectAccessible(page, "impersonation");
    await screenshot(page, "console-impersonation");
    expect(await prisma.auditEvent.count({ where: { userId: target.id, actorId: { not: null }, type: "IMPERSONATION_STARTED" } })).toBe(1);
    await banner.getByRole("button", { name: "End impersonation" }).click();
    await page.getByRole("heading", { name: target.username, exact: true, level: 1 }).waitFor();
    await page.getByTestId("signed-in-as").filter({ hasText: ADMIN_USERNAME }).waitFor();
    expect(await prisma.auditEvent.count({ where: { userId: target.id, type: "IMPERSONATION_ENDED" } })).toBe(1);

    // The audit log, filtered to the account from its page.
    await page.getByRole("link", { name: "All of this account's events" }).click();
    await page.waitForURL(/\/admin\/audit\?userId=/);
    await page.getByTestId("audit-row").filter({ hasText: "USER_DISABLED" }).waitFor();
    await page.getByTestId("audit-row").filter({ hasText: "IMPERSONATION_STARTED" }).waitFor();
    await expectAccessible(page, "audit");
    await screenshot(page, "console-audit");

    // Webhooks: the endpoint, its delivery, sent again.
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("link", { name: "http://127.0.0.1:9/hooks/latchkey" }).click();
    await page.getByRole("button", { name: /^Redeliver user\.created/ }).first().click();
    await page.getByText("Queued for delivery again.").waitFor();
    await expectAccessible(page, "webhooks");
    await screenshot(page, "console-webhooks");

    // Create an account without a password (a set-password link goes out), then delete it.
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" }).click();
    await page.getByText("Create a user").click();
    const create = page.getByRole("form", { name: "Create a user" });
    const newcomer = `grace_${suffix}`;
    await create.getByLabel("Username").fill(newcomer);
    await create.getByLabel("E-mail").fill(`${newcomer}@example.org`);
    await create.getByRole("button", { name: "Create" }).click();
    await create.getByRole("link", { name: newcomer }).click();
    await page.getByRole("heading", { name: newcomer, level: 1 }).waitFor();
    await page.getByRole("button", { name: "Delete account…" }).click();
    await page.getByLabel(`Type ${newcomer} to confirm`).fill(newcomer);
    await page.getByRole("button", { name: "Delete permanently" }).click();
    await page.waitForURL(`${base}/admin/users`);
    expect((await prisma.user.findFirstOrThrow({ where: { username: { startsWith: "grace_" } } })).deletedAt).not.toBeNull();

    expect(watch.offsiteRequests).toEqual([]);
    expect(watch.errors).toEqual([]);
  }, 180_000);

  it("lets an ADMIN register an OpenID Provider client, shows its secret once, edits it, rotates the secret and deletes it", async () => {
    const { page } = watch;
    const prisma = server.app.database.prisma;
    const services = server.app.services;
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Clients" }).click();
    await page.getByRole("heading", { name: "Clients", level: 1 }).waitFor();
    await page.getByText("No clients yet. Register one below.").waitFor();

    // Register a confidential client: the secret is on screen once and stored as its hash.
    await page.getByText("Register a client").click();
    const form = page.getByRole("form", { name: "Register a client" });
    await form.getByLabel("Name", { exact: true }).fill("Support desk");
    await form.getByLabel("Redirect URIs, one per line", { exact: true }).fill("https://desk.example.com/cb\nhttp://localhost:3000/cb");
    await form.getByRole("button", { name: "Register" }).click();
    await page.getByRole("heading", { name: "Support desk is registered" }).waitFor();
    const clientId = (await page.getByTestId("shown-client-id").textContent())!;
    const secret = (await page.getByTestId("shown-client-secret").textContent())!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await services.oauthClients.verifySecret(clientId, secret)).toBe(true);
    const row = await prisma.oAuthClient.findUniqueOrThrow({ where: { clientId } });
    expect(row).toMatchObject({ name: "Support desk", redirectUris: ["https://desk.example.com/cb", "http://localhost:3000/cb"], grantTypes: ["authorization_code", "refresh_token"], public: false });
    expect(row.secretHash).not.toContain(secret);
    const rows = page.getByTestId("client-row");
    await rows.filter({ hasText: clientId }).waitFor();
    await expectAccessible(page, "clients");
    await screenshot(page, "console-clients");
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.getByText(secret).count()).toBe(0);

    // A refused redirect URI names the problem and changes nothing.
    await form.getByLabel("Name", { exact: true }).fill("Broken");
    await form.getByLabel("Redirect URIs, one per line", { exact: true }).fill("http://desk.example.com/cb");
    await form.getByRole("button", { name: "Register" }).click();
    await form.getByRole("alert").filter({ hasText: "BAD_USER_INPUT" }).waitFor();
    expect(await prisma.oAuthClient.count()).toBe(1);

    // Edit: first party, one more grant; the id and secret stay.
    await page.getByRole("button", { name: "Edit Support desk" }).click();
    const edit = page.getByRole("form", { name: "Edit Support desk" });
    await edit.getByLabel("Name", { exact: true }).fill("Help desk");
    await edit.getByRole("checkbox", { name: /First party/ }).check();
    await edit.getByRole("checkbox", { name: /Client credentials/ }).check();
    await edit.getByRole("button", { name: "Save changes" }).click();
    await rows.filter({ hasText: "Help desk" }).filter({ hasText: "first party" }).waitFor();
    expect(await prisma.oAuthClient.findUniqueOrThrow({ where: { clientId } })).toMatchObject({
      name: "Help desk", firstParty: true, grantTypes: ["authorization_code", "refresh_token", "client_credentials"], secretHash: row.secretHash,
    });

    // Rotate: the new secret is shown once, the old one stops matching.
    await page.getByRole("button", { name: "Rotate secret of Help desk" }).click();
    await page.getByRole("button", { name: "Rotate now" }).click();
    await page.getByRole("heading", { name: "New secret for Help desk" }).waitFor();
    const rotated = (await page.getByTestId("shown-client-secret").textContent())!;
    expect(rotated).not.toBe(secret);
    expect([await services.oauthClients.verifySecret(clientId, secret), await services.oauthClients.verifySecret(clientId, rotated)]).toEqual([false, true]);
    await page.getByRole("button", { name: "Done" }).click();

    // Delete, after a second click.
    await page.getByRole("button", { name: "Delete Help desk" }).click();
    await page.getByRole("button", { name: "Delete permanently" }).click();
    await page.getByText("No clients yet. Register one below.").waitFor();
    expect(await prisma.oAuthClient.count()).toBe(0);
    const audited = await prisma.auditEvent.findMany({ where: { type: { startsWith: "OAUTH_CLIENT_" } }, select: { type: true } });
    expect(audited.map((event) => event.type).sort()).toEqual(["OAUTH_CLIENT_CREATED", "OAUTH_CLIENT_DELETED", "OAUTH_CLIENT_SECRET_ROTATED", "OAUTH_CLIENT_UPDATED"]);
    expect(watch.errors).toEqual([]);
  }, 120_000);

  it("signs a MODERATOR in with a passkey and offers reading only: no actions, no audit log or webhooks", async () => {
    const moderator = await registerVerifiedUser(server);
    await server.app.database.prisma.user.update({ where: { id: moderator.id }, data: { role: "MODERATOR" } });
    const moderatorContext = await browser.newContext();
    const { page, errors } = await watchedPage(moderatorContext);
    // Chromium's virtual authenticator (DevTools protocol) answers the WebAuthn ceremonies.
    const cdp = await moderatorContext.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    try {
      await page.goto(`${base}/admin/users/${target.id}`);
      const signIn = page.getByRole("form", { name: "Sign in" });
      await signIn.getByLabel("Username or e-mail").fill(moderator.username);
      await signIn.getByLabel("Password").fill(STRONG_PASSWORD);
      await signIn.getByRole("button", { name: "Sign in", exact: true }).click();
      // The deep link still holds after signing in.
      await page.getByRole("heading", { name: new RegExp(`^${target.username}`), level: 1 }).waitFor();
      await page.getByRole("region", { name: "Profile" }).waitFor();
      await page.getByRole("region", { name: "Sessions" }).waitFor();
      expect(await page.getByRole("region", { name: "Actions" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: /Ban|Revoke|role|Impersonate|Delete|reset|Save|Create/i }).count()).toBe(0);
      const nav = page.getByRole("navigation", { name: "Console" });
      expect(await nav.getByRole("link").allTextContents()).toEqual(["Users"]);
      await expectAccessible(page, "user as moderator");

      // A passkey for this account, added with the signed-in cookies (the console itself does not add passkeys).
      await page.evaluate(readFileSync(WEBAUTHN_BUNDLE, "utf8"));
      const added = await page.evaluate(async () => {
        const gql = async (query: string, variables: Record<string, unknown> = {}) => {
          const response = await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
          return (await response.json()) as { data?: any; errors?: unknown[] };
        };
        const { startRegistration } = (window as unknown as { SimpleWebAuthnBrowser: any }).SimpleWebAuthnBrowser;
        const begun = await gql("mutation { beginPasskeyRegistration }");
        const credential = await startRegistration({ optionsJSON: JSON.parse(begun.data.beginPasskeyRegistration) });
        const finished = await gql("mutation($r: String!) { finishPasskeyRegistration(responseJson: $r, name: \"Console\") { id } }", { r: JSON.stringify(credential) });
        return finished.errors ?? finished.data.finishPasskeyRegistration.id;
      });
      expect(typeof added).toBe("string");

      // Sign out, then in again with the passkey alone.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.getByTestId("signed-in-as").filter({ hasText: moderator.username }).waitFor();
      const session = await server.app.database.prisma.session.findFirstOrThrow({ where: { userId: moderator.id, revokedAt: null } });
      expect(session.passkeyId).not.toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await moderatorContext.close();
    }
  }, 60_000);
});
