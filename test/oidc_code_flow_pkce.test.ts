import { createRemoteJWKSet, jwtVerify } from "jose";
import { testDatabases } from "./support/databases";
import type { TestServer } from "./support/test-server";
import { LOGIN, STRONG_PASSWORD, registerUser, type RegisteredUser } from "./support/accounts";
import { nextTotpCode, userWithTwoFactor } from "./support/two-factor";
import {
  Browserless, RP_REDIRECT, authorizationRequest, exchangeCode, oidc, registerClient, relyingParty, startOidcServer,
  type Page, type RegisteredClient,
} from "./support/oidc-browserless";

const SCOPES = "openid profile email offline_access";

/** From the authorization URL to the sign-in form; the page must be the sign-in form. */
async function openSignIn(browser: Browserless, url: URL): Promise<Page> {
  const page = await browser.navigate(url.toString(), {}, RP_REDIRECT);
  expect(page.status).toBe(200);
  expect(page.inputNames()).toEqual(expect.arrayContaining(["identifier", "password", "csrf"]));
  return page;
}

/** Presses approve on a consent page and returns the redirect URI's URL. */
async function approve(browser: Browserless, page: Page): Promise<string> {
  expect(page.forms()[0]?.buttons).toMatchObject({ approve: expect.any(String), deny: expect.any(String) });
  const done = await browser.submit(page, {}, { button: "approve", stopAt: RP_REDIRECT });
  expect(done.redirectedTo).toBeDefined();
  return done.redirectedTo!;
}

describe.each(testDatabases)("authorization code with PKCE through the sign-in and consent pages on %s", (kind) => {
  let server: TestServer;
  let client: RegisteredClient;
  let config: oidc.Configuration;

  beforeAll(async () => {
    server = await startOidcServer(kind, { LOGIN_LOCKOUT_THRESHOLD: "5" });
    client = await registerClient(server, { name: "Support <desk>" });
    config = await relyingParty(server, client);
  });
  afterAll(() => server?.stop());

  async function signInAndConsent(user: RegisteredUser, browser = new Browserless()) {
    const start = await authorizationRequest(config, { scope: SCOPES, prompt: "consent" });
    const signIn = await openSignIn(browser, start.url);
    const consent = await browser.submit(signIn, { identifier: user.username, password: user.password }, { stopAt: RP_REDIRECT });
    expect(consent.status).toBe(200);
    // The client's name, escaped, and the scopes asked for.
    expect(consent.html).toContain("Support &lt;desk&gt;");
    expect(consent.text()).toEqual(expect.stringContaining("offline_access"));
    const callback = await approve(browser, consent);
    return { start, callback, tokens: await exchangeCode(config, start, callback), browser };
  }

  it("signs in with the password form, asks consent, and issues tokens whose ID token verifies with the published JWKS", async () => {
    const user = await registerUser(server);
    const { tokens, start } = await signInAndConsent(user);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ sub: user.id, iss: server.app.config.publicUrl, aud: client.clientId, nonce: start.nonce });
    expect(claims.exp - claims.iat).toBeGreaterThan(0);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    // A second, independent library verifies the ID token against the published keys.
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: server.app.config.publicUrl, audience: client.clientId });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload.sub).toBe(user.id);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    expect(info).toMatchObject({ sub: user.id, preferred_username: user.username, email: user.email });
  });

  it("the pages use no inline code: a strict CSP, with the stylesheet served as a file", async () => {
    const start = await authorizationRequest(config, { scope: "openid" });
    const page = await openSignIn(new Browserless(), start.url);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(page.html).not.toMatch(/<style|<script>|style=|onclick=/i);
    const css = await fetch(new URL("/oidc/interaction/assets/pages.css", server.url));
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
    const script = await fetch(new URL("/oidc/interaction/assets/passkey.js", server.url));
    expect(await script.text()).toContain("beginPasskeyLogin");
  });

  it("asks a two-factor account for its code after the password; a wrong code is refused on the page", async () => {
    const user = await userWithTwoFactor(server);
    const browser = new Browserless();
    const start = await authorizationRequest(config, { scope: SCOPES, prompt: "consent" });
    const signIn = await openSignIn(browser, start.url);
    const second = await browser.submit(signIn, { identifier: user.username, password: STRONG_PASSWORD }, { stopAt: RP_REDIRECT });
    expect(second.status).toBe(200);
    expect(second.inputNames()).toContain("code");
    expect(second.inputNames()).not.toContain("password");

    const wrong = await browser.submit(second, { code: "000000" }, { stopAt: RP_REDIRECT });
    expect(wrong.status).toBe(401);
    expect(wrong.text()).toContain("Invalid two-factor code");

    const consent = await browser.submit(wrong, { code: nextTotpCode(server, user.secret) }, { stopAt: RP_REDIRECT });
    const callback = await approve(browser, consent);
    const tokens = await exchangeCode(config, start, callback);
    expect(tokens.claims()!.sub).toBe(user.id);
  });

  it("rotates the refresh token; the old one is refused, and presenting it again revokes the grant", async () => {
    const user = await registerUser(server);
    const { tokens } = await signInAndConsent(user);
    const first = tokens.refresh_token!;
    const rotated = await oidc.refreshTokenGrant(config, first);
    expect(rotated.refresh_token).toEqual(expect.any(String));
    expect(rotated.refresh_token).not.toBe(first);
    expect(rotated.claims()?.sub).toBe(user.id);

    await expect(oidc.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: "invalid_grant" });
    // The reuse revoked the grant: its newest refresh token is refused too.
    await expect(oidc.refreshTokenGrant(config, rotated.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a public client that sends no PKCE challenge", async () => {
    const publicClient = await registerClient(server, { public: true });
    const publicConfig = await relyingParty(server, publicClient);
    const url = oidc.buildAuthorizationUrl(publicConfig, { redirect_uri: RP_REDIRECT, scope: "openid", state: oidc.randomState() });
    const page = await new Browserless().navigate(url.toString(), {}, RP_REDIRECT);
    const answer = new URL(page.redirectedTo ?? page.url);
    expect(answer.searchParams.get("error")).toBe("invalid_request");
    expect(answer.searchParams.get("error_description")).toMatch(/PKCE/i);
    expect(page.inputNames()).not.toContain("password");
  });

  it("refuses a redirect URI that is not registered, without redirecting to it", async () => {
    const start = await authorizationRequest(config, { scope: "openid", redirect_uri: "https://attacker.example/callback" });
    const page = await new Browserless().navigate(start.url.toString(), {}, "https://attacker.example");
    expect(page.redirectedTo).toBeUndefined();
    expect(page.status).toBe(400);
    expect(page.text()).toContain("redirect_uri");
    expect(page.inputNames()).not.toContain("password");
  });

  it("answers a wrong password with the generic failure, alike for an unknown account, and counts it toward the lockout", async () => {
    const user = await registerUser(server);
    const browser = new Browserless();
    const start = await authorizationRequest(config, { scope: "openid" });
    let page = await openSignIn(browser, start.url);
    const unknown = await browser.submit(page, { identifier: "nobody_here", password: "wrong-password-1" }, { stopAt: RP_REDIRECT });
    expect(unknown.status).toBe(401);
    expect(unknown.text()).toContain("Invalid credentials");
    page = unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      page = await browser.submit(page, { identifier: user.username, password: `wrong-password-${attempt}` }, { stopAt: RP_REDIRECT });
      expect(page.status).toBe(401);
      expect(page.text()).toContain("Invalid credentials");
    }
    // Locked now: even the right password is refused, on the page and over GraphQL alike.
    const locked = await browser.submit(page, { identifier: user.username, password: user.password }, { stopAt: RP_REDIRECT });
    expect(locked.status).toBe(429);
    expect(locked.text()).toMatch(/Too many attempts/);
    const { body } = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
    expect(body.errors?.[0]?.extensions?.code).toBe("ACCOUNT_LOCKED");
    const failures = await server.app.database.prisma.auditEvent.count({ where: { userId: user.id, type: "LOGIN_FAILED" } });
    expect(failures).toBe(5);
  });

  it("refuses a form posted without the page's CSRF token", async () => {
    const user = await registerUser(server);
    const browser = new Browserless();
    const start = await authorizationRequest(config, { scope: "openid" });
    const page = await openSignIn(browser, start.url);
    const forged = await browser.submit(page, { identifier: user.username, password: user.password, csrf: "forged" }, { stopAt: RP_REDIRECT });
    expect(forged.status).toBe(403);
    expect(forged.redirectedTo).toBeUndefined();
  });

  it("skips the sign-in form for a browser with a Latchkey session (the lk_access cookie), and not for a bad one", async () => {
    const user = await registerUser(server);
    const signedIn = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    const accessCookie = signedIn.headers.getSetCookie().find((line) => line.startsWith("lk_access="))!;
    const browser = new Browserless();
    expect(accessCookie).toMatch(/SameSite=Strict/i);
    browser.setCookie("lk_access", accessCookie.split(";")[0].slice("lk_access=".length), { sameSiteStrict: true });
    const start = await authorizationRequest(config, { scope: "openid profile", prompt: "consent" });
    const consent = await browser.navigate(start.url.toString(), {}, RP_REDIRECT);
    expect(consent.inputNames()).not.toContain("password");
    const callback = await approve(browser, consent);
    expect((await exchangeCode(config, start, callback)).claims()!.sub).toBe(user.id);

    // A real browser coming from the client's site withholds the SameSite=Strict cookie: the page
    // reloads itself from this origin (meta refresh, no script), and that request carries it.
    const arriving = new Browserless();
    arriving.setCookie("lk_access", accessCookie.split(";")[0].slice("lk_access=".length), { sameSiteStrict: true });
    const crossSite = await authorizationRequest(config, { scope: "openid profile" });
    const reload = await arriving.navigate(crossSite.url.toString(), { headers: { "sec-fetch-site": "cross-site" } }, RP_REDIRECT);
    expect(reload.status).toBe(200);
    expect(reload.inputNames()).not.toContain("password");
    const reloaded = await arriving.navigate(reload.refreshUrl()!, { headers: { "sec-fetch-site": "same-origin" } }, RP_REDIRECT);
    expect(reloaded.redirectedTo).toBeDefined();
    expect((await exchangeCode(config, crossSite, reloaded.redirectedTo!)).claims()!.sub).toBe(user.id);

    const stranger = new Browserless();
    stranger.setCookie("lk_access", "not-a-token");
    const again = await authorizationRequest(config, { scope: "openid" });
    await openSignIn(stranger, again.url);
  });
});
