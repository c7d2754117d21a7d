import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, CDPSession } from "playwright-core";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { STRONG_PASSWORD, registerVerifiedUser } from "./support/accounts";
import { launchChromium, screenshot, watchedPage, type PageWatch } from "./support/browser";
import { startSpaServer, type SpaServer } from "./support/spa-server";

const PAGE_DIR = path.join(__dirname, "fixtures", "passkey-page");
// The package's exports map hides its browser bundle from require.resolve: take it by path.
const BROWSER_BUNDLE = path.join(__dirname, "..", "node_modules", "@simplewebauthn", "browser", "dist", "bundle", "index.umd.min.js");

// A real browser's WebAuthn stack with Chromium's virtual authenticator (DevTools protocol):
// the page registers a passkey through @simplewebauthn/browser, signs out, signs in with it.
// Browser behaviour does not depend on the database, so one kind.
describe(`passkeys in a browser with a virtual authenticator (${testDatabases[0]})`, () => {
  let server: TestServer;
  let site: SpaServer;
  let siteDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let watch: PageWatch;
  let cdp: CDPSession;
  let authenticatorId: string;

  beforeAll(async () => {
    siteDir = mkdtempSync(path.join(tmpdir(), "latchkey-passkey-page-"));
    copyFileSync(path.join(PAGE_DIR, "index.html"), path.join(siteDir, "index.html"));
    copyFileSync(BROWSER_BUNDLE, path.join(siteDir, "simplewebauthn-browser.js"));
    browser = await launchChromium();
    // One origin for the page and /graphql (forwarded): http://localhost:<port>, a secure
    // context whose host is the RP ID that PUBLIC_URL gives by default.
    site = await startSpaServer(siteDir);
    server = await startTestServer(testDatabases[0], { env: { PUBLIC_URL: site.url } });
    site.setApi(server.url);
    context = await browser.newContext();
    watch = await watchedPage(context);
    cdp = await context.newCDPSession(watch.page);
    await cdp.send("WebAuthn.enable");
    ({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.stop();
    if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  });

  it("registers a passkey, signs out, and signs in with it", async () => {
    const { page } = watch;
    const user = await registerVerifiedUser(server);
    const prisma = server.app.database.prisma;
    await page.goto(site.url);
    const status = page.getByRole("status");

    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Password").fill(STRONG_PASSWORD);
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await status.filter({ hasText: `Signed in as ${user.username} with a password` }).waitFor();

    await page.getByRole("button", { name: "Add a passkey" }).click();
    await status.filter({ hasText: "Passkey added: This browser" }).waitFor();
    const stored = await prisma.webAuthnCredential.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(1);
    // The authenticator holds a resident (discoverable) credential with the id the server stored.
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0].isResidentCredential).toBe(true);
    expect(Buffer.from(credentials[0].credentialId, "base64").toString("base64url")).toBe(stored[0].credentialId);
    expect(Buffer.from(credentials[0].userHandle!, "base64").toString("utf8")).toBe(user.id);
    await screenshot(page, "passkey-added");

    await page.getByRole("button", { name: "Sign out" }).click();
    await status.filter({ hasText: "Signed out" }).waitFor();

    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await status.filter({ hasText: `Signed in as ${user.username} with a passkey (This browser)` }).waitFor();
    await screenshot(page, "passkey-signed-in");

    const signIn = await prisma.auditEvent.findFirst({ where: { userId: user.id, type: "LOGIN_SUCCEEDED" }, orderBy: { createdAt: "desc" } });
    expect(signIn?.metadata).toMatchObject({ method: "PASSKEY", passkeyId: stored[0].id });
    const used = await prisma.webAuthnCredential.findUniqueOrThrow({ where: { id: stored[0].id } });
    expect(used.lastUsedAt).not.toBeNull();
    expect(watch.errors).toEqual([]);
    expect(watch.offsiteRequests).toEqual([]);
  });
});
