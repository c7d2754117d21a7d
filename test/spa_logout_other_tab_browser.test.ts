import type { Browser, BrowserContext, Page } from "playwright-core";
import { type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { jwtPayload, registerUser, STRONG_PASSWORD } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { watchedPage, type PageWatch } from "./support/browser";
import { type SpaServer } from "./support/spa-server";
import { startAppInBrowser, type AppInBrowser } from "./support/spa-build";

// Two tabs of one browser share the cookie session: signing out in one must sign the other out
// at once, pushed over its sessionEvents WebSocket (no reload, no request of its own).
describe(`the example app signs out every tab of a browser on a logout in one (${testDatabases[0]})`, () => {
  let server: TestServer;
  let spa: SpaServer;
  let browser: Browser;
  let context: BrowserContext;
  let first: PageWatch;
  let second: Page;

  let app: AppInBrowser | undefined;
  beforeAll(async () => {
    // The app's origin is PUBLIC_URL: allowed for cookie-authenticated sockets.
    ({ browser, spa, server } = app = await startAppInBrowser({ ...ADMIN_ENV, SESSION_EVENTS_RECHECK_INTERVAL: "10m" }));
    context = await browser.newContext();
    first = await watchedPage(context);
  }, 180_000);
  afterAll(() => app?.close());

  it("shows a role change in both tabs, then the second tab signed out, without a reload, after Sign out in the first", async () => {
    const user = await registerUser(server);
    const { page } = first;
    await page.goto(spa.url);
    const login = page.getByRole("form", { name: "Sign in" });
    await login.getByLabel("Username or e-mail").fill(user.username);
    await login.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
    await login.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("signed-in-as").filter({ hasText: user.username }).waitFor();

    const access = (await context.cookies()).find((cookie) => cookie.name === "lk_access")!.value;
    const sessionId = jwtPayload(access).sid as string;
    const subscriptions = () => server.log().split("\n").filter((line) => line.includes("live subscription started") && line.includes(sessionId)).length;
    const subscribedTimes = (n: number) => server.waitForLog(() => subscriptions() >= n);

    // The first tab's subscription, then the second's: the same session, signed in by the cookie.
    await subscribedTimes(1);
    second = await context.newPage();
    await second.goto(spa.url);
    await second.getByTestId("signed-in-as").filter({ hasText: user.username }).waitFor();
    await subscribedTimes(2);
    let secondNavigations = 0;
    second.on("framenavigated", (frame) => {
      if (frame === second.mainFrame()) secondNavigations++;
    });

    // An ADMIN makes the user a MODERATOR: both tabs show it without asking.
    const admin = await adminToken(server);
    const promoted = await server.gql(`mutation ($id: ID!) { setUserRole(userId: $id, role: MODERATOR) { role } }`, { id: user.id }, { token: admin });
    expect(promoted.body.data).toEqual({ setUserRole: { role: "MODERATOR" } });
    for (const tab of [page, second]) await tab.getByRole("region", { name: "You" }).getByText("MODERATOR", { exact: true }).waitFor({ timeout: 5_000 });

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("form", { name: "Sign in" }).waitFor();
    // The second tab follows on its own, within a few seconds at most.
    await second.getByRole("form", { name: "Sign in" }).waitFor({ timeout: 5_000 });
    expect(await second.getByTestId("signed-in-as").count()).toBe(0);
    expect(secondNavigations).toBe(0);
    expect(first.errors).toEqual([]);
    expect(first.offsiteRequests).toEqual([]);
  });
});
