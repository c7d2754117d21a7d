import { testDatabases } from "./support/databases";
import type { TestServer } from "./support/test-server";
import { registerUser } from "./support/accounts";
import { userWithTwoFactor } from "./support/two-factor";
import {
  Browserless, RP_REDIRECT, authorizationRequest, exchangeCode, registerClient, relyingParty, startOidcServer, type oidc, type Page,
} from "./support/oidc-browserless";

/**
 * The provider's sign-in page applies the API's sign-in rules: its rate limits (counted with the
 * GraphQL login's), disabled accounts, recovery codes as the second factor.
 */
describe.each(testDatabases)("the provider's sign-in page keeps the sign-in rules on %s", (kind) => {
  let server: TestServer;
  let config: oidc.Configuration;

  beforeAll(async () => {
    server = await startOidcServer(kind, { RATE_LIMIT_LOGIN: "3/1m" });
    config = await relyingParty(server, await registerClient(server, { firstParty: true }));
  });
  afterAll(() => server?.stop());

  async function signInPage(browser: Browserless) {
    const start = await authorizationRequest(config, { scope: "openid" });
    return { start, page: await browser.navigate(start.url.toString(), {}, RP_REDIRECT) };
  }

  it("answers RATE_LIMIT_LOGIN on the page, per identifier, sharing the count with the GraphQL login", async () => {
    const user = await registerUser(server);
    const browser = new Browserless();
    let { page } = await signInPage(browser);
    const { body } = await server.gql(`mutation($i: LoginInput!) { login(input: $i) { __typename } }`, { i: { identifier: user.username, password: "wrong-one-1" } });
    expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    for (let attempt = 0; attempt < 2; attempt++) {
      page = await browser.submit(page, { identifier: user.username, password: `wrong-${attempt}-x` }, { stopAt: RP_REDIRECT });
      expect(page.status).toBe(401);
    }
    const limited: Page = await browser.submit(page, { identifier: user.username, password: user.password }, { stopAt: RP_REDIRECT });
    expect(limited.status).toBe(429);
    expect(limited.text()).toMatch(/Too many attempts; try again in \d+ seconds/);
    expect(limited.redirectedTo).toBeUndefined();
  });

  it("refuses a disabled account given its right password, and tells only then", async () => {
    const user = await registerUser(server);
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    const browser = new Browserless();
    const { page } = await signInPage(browser);
    const wrong = await browser.submit(page, { identifier: user.username, password: "not-the-password-9" }, { stopAt: RP_REDIRECT });
    expect(wrong.text()).toContain("Invalid credentials");
    const refused = await browser.submit(wrong, { identifier: user.username, password: user.password }, { stopAt: RP_REDIRECT });
    expect(refused.status).toBe(403);
    expect(refused.text()).toContain("This account is disabled");
    expect(refused.redirectedTo).toBeUndefined();
  });

  it("accepts a recovery code as the second factor, once", async () => {
    const user = await userWithTwoFactor(server);
    const [recovery] = user.recoveryCodes;
    const browser = new Browserless();
    const { start, page } = await signInPage(browser);
    const second = await browser.submit(page, { identifier: user.username, password: user.password }, { stopAt: RP_REDIRECT });
    const done = await browser.submit(second, { code: recovery }, { stopAt: RP_REDIRECT });
    expect((await exchangeCode(config, start, done.redirectedTo!)).claims()!.sub).toBe(user.id);

    const other = new Browserless();
    const again = await signInPage(other);
    const step = await other.submit(again.page, { identifier: user.username, password: user.password }, { stopAt: RP_REDIRECT });
    const spent = await other.submit(step, { code: recovery }, { stopAt: RP_REDIRECT });
    expect(spent.status).toBe(401);
    expect(spent.text()).toContain("Invalid two-factor code");
  });
});
