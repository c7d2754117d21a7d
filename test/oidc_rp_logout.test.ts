import { testDatabases } from "./support/databases";
import type { TestServer } from "./support/test-server";
import { registerUser, type RegisteredUser } from "./support/accounts";
import {
  Browserless, RP_LOGOUT_REDIRECT, RP_REDIRECT, authorizationRequest, exchangeCode, oidc, registerClient, relyingParty, startOidcServer,
} from "./support/oidc-browserless";

describe.each(testDatabases)("RP-initiated logout through the provider's page on %s", (kind) => {
  let server: TestServer;
  let config: oidc.Configuration;

  beforeAll(async () => {
    server = await startOidcServer(kind);
    config = await relyingParty(server, await registerClient(server, { name: "Intranet", firstParty: true }));
  });
  afterAll(() => server?.stop());

  const providerSessions = (user: RegisteredUser) => server.app.database.prisma.oidcPayload.count({ where: { model: "Session", accountId: user.id } });

  /** Signs in through the pages (a first-party client: no consent) and returns the browser and the ID token. */
  async function signedIn(user: RegisteredUser) {
    const browser = new Browserless();
    const start = await authorizationRequest(config, { scope: "openid profile" });
    const form = await browser.navigate(start.url.toString(), {}, RP_REDIRECT);
    const done = await browser.submit(form, { identifier: user.username, password: user.password }, { stopAt: RP_REDIRECT });
    const tokens = await exchangeCode(config, start, done.redirectedTo!);
    return { browser, idToken: tokens.id_token! };
  }

  it("asks, signs out of the provider and of the Latchkey browser session, and returns to the registered URI with the state", async () => {
    const user = await registerUser(server);
    const { browser, idToken } = await signedIn(user);
    expect(await providerSessions(user)).toBe(1);
    expect(browser.cookie("lk_access")).toBeDefined();

    const state = oidc.randomState();
    const url = oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: RP_LOGOUT_REDIRECT, state });
    const ask = await browser.navigate(url.toString(), {}, RP_LOGOUT_REDIRECT);
    expect(ask.status).toBe(200);
    expect(ask.text()).toContain("Do you want to sign out?");
    expect(ask.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    expect(ask.forms()[0].buttons).toHaveProperty("logout");

    const out = await browser.submit(ask, {}, { button: "logout", stopAt: RP_LOGOUT_REDIRECT });
    const back = new URL(out.redirectedTo!);
    expect(`${back.origin}${back.pathname}`).toBe(RP_LOGOUT_REDIRECT);
    expect(back.searchParams.get("state")).toBe(state);
    expect(await providerSessions(user)).toBe(0);
    expect(browser.cookie("lk_access")).toBeUndefined();

    // Signed out everywhere in this browser: the next authorization shows the sign-in form.
    const next = await authorizationRequest(config, { scope: "openid" });
    const page = await browser.navigate(next.url.toString(), {}, RP_REDIRECT);
    expect(page.inputNames()).toContain("password");
  });

  it("keeps the provider session when the user chooses to stay signed in", async () => {
    const user = await registerUser(server);
    const { browser, idToken } = await signedIn(user);
    const url = oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: RP_LOGOUT_REDIRECT });
    const ask = await browser.navigate(url.toString(), {}, RP_LOGOUT_REDIRECT);
    const stay = await browser.submit(ask, {}, { stopAt: RP_LOGOUT_REDIRECT });
    expect(stay.redirectedTo).toBeDefined();
    expect(await providerSessions(user)).toBe(1);
    expect(browser.cookie("lk_access")).toBeDefined();
  });

  it("shows the signed-out page when no post-logout URI is given", async () => {
    const user = await registerUser(server);
    const { browser, idToken } = await signedIn(user);
    const url = oidc.buildEndSessionUrl(config, { id_token_hint: idToken });
    const ask = await browser.navigate(url.toString());
    const out = await browser.submit(ask, {}, { button: "logout" });
    expect(out.status).toBe(200);
    expect(out.text()).toContain("You are signed out");
    expect(await providerSessions(user)).toBe(0);
  });
});
