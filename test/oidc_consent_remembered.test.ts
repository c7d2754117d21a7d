import { testDatabases } from "./support/databases";
import type { TestServer } from "./support/test-server";
import { registerUser, type RegisteredUser } from "./support/accounts";
import {
  Browserless, RP_REDIRECT, authorizationRequest, exchangeCode, oidc, registerClient, relyingParty, startOidcServer, type Page,
} from "./support/oidc-browserless";

const isConsentPage = (page: Page) => page.redirectedTo === undefined && "approve" in (page.forms()[0]?.buttons ?? {});

describe.each(testDatabases)("consent through the provider's pages on %s", (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startOidcServer(kind);
  });
  afterAll(() => server?.stop());

  /** Authorizes in this browser, signing in when the form shows; the page after sign-in (consent) or the redirect. */
  async function authorize(browser: Browserless, config: oidc.Configuration, user: RegisteredUser, scope: string) {
    const start = await authorizationRequest(config, { scope });
    let page = await browser.navigate(start.url.toString(), {}, RP_REDIRECT);
    if (page.inputNames().includes("password")) {
      page = await browser.submit(page, { identifier: user.username, password: user.password }, { stopAt: RP_REDIRECT });
    }
    return { start, page };
  }

  it("asks once per client and scope: the second authorization shows no consent page; a new scope asks again", async () => {
    const client = await registerClient(server, { name: "Wiki" });
    const config = await relyingParty(server, client);
    const user = await registerUser(server);
    const browser = new Browserless();

    const first = await authorize(browser, config, user, "openid profile");
    expect(isConsentPage(first.page)).toBe(true);
    expect(first.page.text()).toContain("Wiki");
    const approved = await browser.submit(first.page, {}, { button: "approve", stopAt: RP_REDIRECT });
    expect((await exchangeCode(config, first.start, approved.redirectedTo!)).claims()!.sub).toBe(user.id);

    // The grant is the engine's, saved through the adapter.
    const grants = await server.app.database.prisma.oidcPayload.findMany({ where: { model: "Grant", accountId: user.id } });
    expect(grants).toHaveLength(1);

    const second = await authorize(browser, config, user, "openid profile");
    expect(second.page.redirectedTo).toBeDefined();
    expect((await exchangeCode(config, second.start, second.page.redirectedTo!)).claims()!.sub).toBe(user.id);

    // E-mail was never agreed to: consent is asked for it, and only it is listed as new.
    const wider = await authorize(browser, config, user, "openid profile email");
    expect(isConsentPage(wider.page)).toBe(true);
    expect(wider.page.text()).toContain("email");
    expect(wider.page.text()).not.toMatch(/\bprofile:/);
  });

  it("remembers the consent across browsers, per scope, unless the client asks with prompt=consent", async () => {
    const client = await registerClient(server, { name: "Chat" });
    const config = await relyingParty(server, client);
    const user = await registerUser(server);
    const laptop = new Browserless();
    const given = await authorize(laptop, config, user, "openid profile");
    expect(isConsentPage(given.page)).toBe(true);
    await laptop.submit(given.page, {}, { button: "approve", stopAt: RP_REDIRECT });

    // Another browser, signing in afresh: no consent page for what was agreed to.
    const phone = new Browserless();
    const second = await authorize(phone, config, user, "openid");
    expect(second.page.redirectedTo).toBeDefined();
    expect((await exchangeCode(config, second.start, second.page.redirectedTo!)).claims()!.sub).toBe(user.id);
    // A scope not agreed to, or prompt=consent, asks.
    expect(isConsentPage((await authorize(new Browserless(), config, user, "openid email")).page)).toBe(true);
    const forced = await authorizationRequest(config, { scope: "openid", prompt: "consent" });
    expect(isConsentPage(await phone.navigate(forced.url.toString(), {}, RP_REDIRECT))).toBe(true);
  });

  it("sends access_denied to the client when the user denies", async () => {
    const client = await registerClient(server);
    const config = await relyingParty(server, client);
    const user = await registerUser(server);
    const browser = new Browserless();
    const { start, page } = await authorize(browser, config, user, "openid email");
    expect(isConsentPage(page)).toBe(true);
    const denied = await browser.submit(page, {}, { button: "deny", stopAt: RP_REDIRECT });
    const answer = new URL(denied.redirectedTo!);
    expect(answer.searchParams.get("error")).toBe("access_denied");
    expect(answer.searchParams.get("code")).toBeNull();
    await expect(exchangeCode(config, start, denied.redirectedTo!)).rejects.toMatchObject({ error: "access_denied" });
    expect(await server.app.database.prisma.oidcPayload.count({ where: { model: "Grant", accountId: user.id } })).toBe(0);
  });

  it("shows first-party clients no consent page", async () => {
    const client = await registerClient(server, { name: "Our other app", firstParty: true });
    const config = await relyingParty(server, client);
    const user = await registerUser(server);
    const { start, page } = await authorize(new Browserless(), config, user, "openid profile email");
    expect(page.redirectedTo).toBeDefined();
    const tokens = await exchangeCode(config, start, page.redirectedTo!);
    expect(tokens.claims()!.sub).toBe(user.id);
    expect(await oidc.fetchUserInfo(config, tokens.access_token, user.id)).toMatchObject({ email: user.email });
  });

  it("asks again once the consent is revoked", async () => {
    const client = await registerClient(server, { name: "Grafana" });
    const config = await relyingParty(server, client);
    const user = await registerUser(server);
    const browser = new Browserless();
    const first = await authorize(browser, config, user, "openid profile");
    await browser.submit(first.page, {}, { button: "approve", stopAt: RP_REDIRECT });

    // Revoked through the engine's Grant (what revokeAuthorizedApp does for the user).
    const [grant] = await server.app.database.prisma.oidcPayload.findMany({ where: { model: "Grant", accountId: user.id } });
    await (await server.app.services.oidc!.Grant.find(grant.id))!.destroy();

    const again = await authorize(browser, config, user, "openid profile");
    expect(isConsentPage(again.page)).toBe(true);
  });
});
