import sharp from "sharp";
import type { Browser, BrowserContext } from "playwright-core";
import { type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";
import { totpFor } from "./support/otp";
import { screenshot, watchedPage, type PageWatch } from "./support/browser";
import { type SpaServer } from "./support/spa-server";
import { startAppInBrowser, type AppInBrowser } from "./support/spa-build";

// The example app in headless Chromium, signed in with httpOnly cookies over one origin.
// Browser behaviour does not depend on the database, so one kind.
describe(`the example single-page app in a browser (${testDatabases[0]})`, () => {
  let server: TestServer;
  let spa: SpaServer;
  let browser: Browser;
  let context: BrowserContext;
  let watch: PageWatch;

  let app: AppInBrowser | undefined;
  beforeAll(async () => {
    // Access tokens shorter than the idle timeout (10m), so one can expire in a live session.
    ({ browser, spa, server } = app = await startAppInBrowser({ ACCESS_TOKEN_TTL: "5m" }));
    context = await browser.newContext();
    watch = await watchedPage(context);
  }, 180_000);
  afterAll(() => app?.close());

  const username = uniqueName("spa");
  const cookieNames = async () => (await context.cookies()).map((cookie) => cookie.name).sort();

  it("registers, signs in with cookies, uploads an avatar and sees it, turns on TOTP from the QR code, signs out", async () => {
    const { page } = watch;
    await page.goto(spa.url);

    // Register, then sign in with the username the form fills in.
    const register = page.getByRole("form", { name: "Create an account" });
    await register.getByLabel("Username").fill(username);
    await register.getByLabel("E-mail").fill(`${username}@example.com`);
    await register.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
    await register.getByLabel("Secret passkey").fill(SECRET_PASSKEY);
    await register.getByRole("button", { name: "Create account" }).click();
    await register.getByText("Account created").waitFor();

    const login = page.getByRole("form", { name: "Sign in" });
    expect(await login.getByLabel("Username or e-mail").inputValue()).toBe(username);
    await login.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
    await login.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("signed-in-as").filter({ hasText: username }).waitFor();

    // The tokens are httpOnly cookies: there, and out of the page's reach.
    const cookies = await context.cookies();
    expect(cookies.filter((c) => c.name.startsWith("lk_")).map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual(
      expect.arrayContaining([
        ["lk_access", true, "Strict"],
        ["lk_refresh", true, "Strict"],
      ]),
    );
    expect(await page.evaluate(() => document.cookie)).toBe("");
    await page.getByTestId("session").filter({ hasText: "(this browser)" }).waitFor();
    await screenshot(page, "spa-signed-in");

    // Upload an avatar through the file input; the new picture replaces the placeholder.
    const picture = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#e8590c" } }).png().toBuffer();
    await page.getByLabel("Avatar image").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: picture });
    const avatar = page.getByRole("img", { name: "Your avatar" });
    await avatar.waitFor();
    expect(await avatar.getAttribute("src")).toMatch(new RegExp(`^${spa.url}/avatars/[0-9a-f-]+\\.png\\?v=`));
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('img[alt="Your avatar"]');
      return img?.complete && img.naturalWidth > 0;
    });
    expect(await avatar.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([300, 200]);

    // Edit the profile.
    const profile = page.getByRole("form", { name: "Profile" });
    await profile.getByLabel("Name").fill("Ada Lovelace");
    await profile.getByRole("button", { name: "Save profile" }).click();
    await profile.getByText("Saved.").waitFor();
    await page.getByRole("region", { name: "You" }).getByText("Ada Lovelace").waitFor();
    await screenshot(page, "spa-avatar-and-profile");

    // Two-factor: the QR code renders; the secret beside it yields the confirming code.
    const twoFactor = page.getByRole("region", { name: "Two-factor authentication" });
    await twoFactor.getByRole("button", { name: "Set up an authenticator app" }).click();
    const qr = twoFactor.getByRole("img", { name: "QR code for your authenticator app" });
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    await screenshot(page, "spa-totp-qr");
    const secret = (await twoFactor.getByTestId("totp-secret").textContent())!;
    await twoFactor.getByLabel("Code from the app").fill(totpFor(secret, server.clock.now()));
    await twoFactor.getByRole("button", { name: "Turn on" }).click();
    const codes = twoFactor.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await twoFactor.getByRole("button", { name: "Done" }).click();
    await twoFactor.getByText("Two-factor authentication is on.").waitFor();

    // Sign out: both cookies go, and the sign-in form is back.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("form", { name: "Sign in" }).waitFor();
    // Every auth cookie is gone; lk_device stays (it names the browser for new-device notices and grants nothing).
    expect((await cookieNames()).filter((name) => name.startsWith("lk_") && name !== "lk_device")).toEqual([]);
    const me = await page.evaluate(() =>
      fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ me { id } }"}' }).then((r) => r.json()),
    );
    expect(me.errors[0].extensions.code).toBe("UNAUTHENTICATED");

    // Signing in again asks for a code from the authenticator (a later step than the one used).
    server.clock.advance(30_000);
    await login.getByLabel("Username or e-mail").fill(username);
    await login.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
    await login.getByRole("button", { name: "Sign in" }).click();
    const challenge = page.getByRole("form", { name: "Two-factor code" });
    await challenge.getByRole("textbox").fill(totpFor(secret, server.clock.now()));
    await challenge.getByRole("button", { name: "Verify" }).click();
    await page.getByTestId("signed-in-as").filter({ hasText: username }).waitFor();
    expect(await cookieNames()).toEqual(expect.arrayContaining(["lk_access", "lk_refresh"]));

    // An expired access cookie: @latchkey/client's link renews it with the refresh cookie, once.
    server.clock.advance(6 * 60_000);
    const refreshes: string[] = [];
    page.on("request", (request) => {
      if (request.postData()?.includes("refreshSession")) refreshes.push(request.url());
    });
    await page.reload();
    await page.getByTestId("signed-in-as").filter({ hasText: username }).waitFor();
    await page.getByTestId("session").filter({ hasText: "(this browser)" }).waitFor();
    expect(refreshes).toHaveLength(1);

    expect(watch.offsiteRequests).toEqual([]);
    expect(watch.errors).toEqual([]);
    // No Apollo warning (the "missing possibleTypes" one came with every two-factor sign-in).
    expect(watch.warnings).toEqual([]);
  });
});
