import type { Browser, BrowserContext } from "playwright-core";
import { type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerVerifiedUser } from "./support/accounts";
import { screenshot, watchedPage, type PageWatch } from "./support/browser";
import { type SpaServer } from "./support/spa-server";
import { startAppInBrowser, type AppInBrowser } from "./support/spa-build";
import { codeFromOutbox } from "./support/email-code";

// "E-mail me a code" on the example app's sign-in page, in headless Chromium, with cookies.
// Browser behaviour does not depend on the database, so one kind.
describe(`the example app's sign-in by e-mailed code in a browser (${testDatabases[0]})`, () => {
  let server: TestServer;
  let spa: SpaServer;
  let browser: Browser;
  let context: BrowserContext;
  let watch: PageWatch;

  let app: AppInBrowser | undefined;
  beforeAll(async () => {
    ({ browser, spa, server } = app = await startAppInBrowser());
    context = await browser.newContext();
    watch = await watchedPage(context);
  }, 180_000);
  afterAll(() => app?.close());

  it("asks for a code, says only that it may be on its way, and signs in with it", async () => {
    const user = await registerVerifiedUser(server);
    const { page } = watch;
    await page.goto(spa.url);
    await page.getByRole("button", { name: "E-mail me a code" }).click();
    const ask = page.getByRole("form", { name: "Code by e-mail" });
    await ask.getByLabel("E-mail").fill(user.email);
    await ask.getByRole("button", { name: "E-mail me a code" }).click();

    const enter = page.getByRole("form", { name: "Enter the code" });
    await enter.getByText(`If ${user.email} is the verified address of an account, a code of 8 digits is on its way.`, { exact: false }).waitFor();
    // A wrong code shows the server's message and leaves the form for another try.
    await enter.getByLabel("Code from the mail").fill("00000000");
    await enter.getByRole("button", { name: "Sign in" }).click();
    await enter.getByRole("alert").filter({ hasText: "Invalid or expired code" }).waitFor();

    const code = await codeFromOutbox(server, user.email);
    await enter.getByLabel("Code from the mail").fill(`${code.slice(0, 4)} ${code.slice(4)}`);
    await enter.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("signed-in-as").filter({ hasText: user.username }).waitFor();
    await screenshot(page, "spa-email-code-signed-in");

    // Signed in with httpOnly cookies, out of the page's reach.
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === "lk_access")?.httpOnly).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain("lk_access");
    expect(watch.offsiteRequests).toEqual([]);
    expect(watch.errors).toEqual([]);
    expect(watch.warnings).toEqual([]);
  });
});
