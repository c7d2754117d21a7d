import type { Browser } from "playwright-core";
import { type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerVerifiedUser } from "./support/accounts";
import { watchedPage } from "./support/browser";
import { type SpaServer } from "./support/spa-server";
import { startAppInBrowser, type AppInBrowser } from "./support/spa-build";
import { queuedMagicToken } from "./support/magic-link";

// "E-mail me a link" in headless Chromium: the link opens the server's page on the app's origin,
// its button signs in with cookies and comes back to the app. Browser behaviour does not depend
// on the database, so one kind.
describe(`sign-in by e-mailed link in the example app (${testDatabases[0]})`, () => {
  let server: TestServer;
  let spa: SpaServer;
  let browser: Browser;

  let app: AppInBrowser | undefined;
  beforeAll(async () => {
    ({ browser, spa, server } = app = await startAppInBrowser());
  }, 180_000);
  afterAll(() => app?.close());

  it("asks for a link, follows it in the same browser and is signed in; another browser is refused", async () => {
    const user = await registerVerifiedUser(server);
    const context = await browser.newContext();
    const { page } = await watchedPage(context);
    await page.goto(spa.url);
    const form = page.getByRole("form", { name: "E-mail me a link" });
    await form.getByLabel("E-mail").fill(user.email);
    await form.getByRole("button", { name: "E-mail me a link" }).click();
    await form.getByText("on its way").waitFor();
    const binding = (await context.cookies()).find((cookie) => cookie.name === "lk_magic");
    expect(binding).toMatchObject({ httpOnly: true, sameSite: "Lax" });

    const token = (await queuedMagicToken(server, user.email))!;
    server.secrets.add("magic link token", token);

    // Forwarded: a browser without the cookie is told to use the one that asked.
    const elsewhere = await browser.newContext();
    const other = await elsewhere.newPage();
    await other.goto(`${spa.url}/magic-link?token=${token}`);
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.getByText("browser that asked").waitFor();
    await elsewhere.close();

    await page.goto(`${spa.url}/magic-link?token=${token}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${spa.url}/`);
    await page.getByTestId("signed-in-as").filter({ hasText: user.username }).waitFor();
    await context.close();
  }, 120_000);
});
