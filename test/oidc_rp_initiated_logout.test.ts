import * as client from "openid-client";
import { START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser } from "./support/accounts";
import { REDIRECT_URI, registerClient, relyingParty, startProviderServer } from "./support/oidc-relying-party";
import { CookieJar, authorizeWithEngine } from "./support/oidc-engine-flow";

const LOGGED_OUT_URI = "http://127.0.0.1:5599/logged-out";

/**
 * RP-initiated logout at the engine level (the sign-in is finished through the engine's API):
 * the app sends the browser to end_session with its ID token; once the user confirms, the
 * provider session is over and the browser returns to the registered post-logout URI.
 */
describe.each(testDatabases)("OpenID Provider RP-initiated logout on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startProviderServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  async function signIn(jar: CookieJar, userId: string, config: client.Configuration) {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: "openid",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    const callback = await authorizeWithEngine(server.app.services.oidc!, url, userId, REDIRECT_URI, jar);
    return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier });
  }

  it("ends the provider session and returns to the registered post-logout URI", async () => {
    const user = await registerUser(server);
    const config = await relyingParty(server, await registerClient(server, { postLogoutRedirectUris: [LOGGED_OUT_URI] }));
    const jar = new CookieJar();
    const tokens = await signIn(jar, user.id, config);
    const sessionsBefore = await server.app.database.prisma.oidcPayload.count({ where: { model: "Session", accountId: user.id } });
    expect(sessionsBefore).toBe(1);

    const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: LOGGED_OUT_URI, state: "s1" });
    const prompt = await fetch(endSession, { headers: { cookie: jar.header() }, redirect: "manual" });
    jar.store(prompt);
    expect(prompt.status).toBe(200);
    const html = await prompt.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)![1];
    const confirmed = await fetch(new URL(action, server.url), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
      body: new URLSearchParams({ xsrf, logout: "yes" }).toString(),
    });
    jar.store(confirmed);
    const back = new URL(confirmed.headers.get("location")!, server.url);
    expect(`${back.origin}${back.pathname}`).toBe(LOGGED_OUT_URI);
    expect(back.searchParams.get("state")).toBe("s1");
    expect(await server.app.database.prisma.oidcPayload.count({ where: { model: "Session", accountId: user.id } })).toBe(0);

    // Signing in again asks for the sign-in step anew (no provider session is left).
    const again = await fetch(client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: "openid", code_challenge: "a".repeat(43), code_challenge_method: "S256" }), {
      headers: { cookie: jar.header() },
      redirect: "manual",
    });
    expect(new URL(again.headers.get("location")!, server.url).pathname).toMatch(/^\/oidc\/interaction\//);
  });

  it("never redirects to a post-logout URI the client did not register", async () => {
    const user = await registerUser(server);
    const config = await relyingParty(server, await registerClient(server, { postLogoutRedirectUris: [LOGGED_OUT_URI] }));
    const tokens = await signIn(new CookieJar(), user.id, config);
    const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: "http://127.0.0.1:5599/elsewhere" });
    const answer = await fetch(endSession, { redirect: "manual" });
    expect(answer.status).toBe(400);
    expect(answer.headers.get("location")).toBeNull();
  });
});
