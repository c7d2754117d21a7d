import * as client from "openid-client";
import { START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser } from "./support/accounts";
import { REDIRECT_URI, codeFlowTokens, registerClient, relyingParty, startProviderServer } from "./support/oidc-relying-party";
import { authorizeWithEngine } from "./support/oidc-engine-flow";

/**
 * The engine reads a refresh token or code as unused, then marks it used: two requests presenting
 * the same one at the same instant (a stolen token replayed while the app refreshes, or two tabs)
 * both pass its check. Exactly one may get tokens; the other is a reuse, which ends the grant.
 */
describe.each(testDatabases)("a refresh token or code presented twice at once on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startProviderServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  const tokenRequest = (registered: { clientId: string; clientSecret?: string }, form: Record<string, string>) =>
    fetch(`${server.url}/oidc/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${registered.clientId}:${registered.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams(form),
    });

  it("gives tokens to at most one of eight concurrent refreshes, and ends the grant", async () => {
    const user = await registerUser(server);
    const registered = await registerClient(server);
    const config = await relyingParty(server, registered);
    const tokens = await codeFlowTokens(server, config, user.id);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => tokenRequest(registered, { grant_type: "refresh_token", refresh_token: tokens.refresh_token! })),
    );
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<Record<string, string>>));
    const winners = bodies.filter((body) => body.refresh_token);
    expect(winners.length).toBeLessThanOrEqual(1);
    for (const body of bodies.filter((body) => !body.refresh_token)) expect(body.error).toBe("invalid_grant");
    // The losers were reuses: the grant is gone, so even the winner's new tokens no longer work.
    for (const winner of winners) {
      await expect(client.refreshTokenGrant(config, winner.refresh_token)).rejects.toMatchObject({ error: "invalid_grant" });
      expect((await client.tokenIntrospection(config, winner.access_token)).active).toBe(false);
    }
  });

  it("exchanges one authorization code for tokens at most once, whatever the concurrency", async () => {
    const user = await registerUser(server);
    const registered = await registerClient(server);
    const config = await relyingParty(server, registered);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: "openid offline_access",
      prompt: "consent",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    const callback = await authorizeWithEngine(server.app.services.oidc!, url, user.id, REDIRECT_URI);
    const code = callback.searchParams.get("code")!;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        tokenRequest(registered, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
      ),
    );
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<Record<string, string>>));
    expect(bodies.filter((body) => body.access_token).length).toBeLessThanOrEqual(1);
    for (const body of bodies.filter((body) => !body.access_token)) expect(body.error).toBe("invalid_grant");
  });

  it("still refreshes normally, one request after another", async () => {
    const user = await registerUser(server);
    const config = await relyingParty(server, await registerClient(server));
    let refreshToken = (await codeFlowTokens(server, config, user.id)).refresh_token!;
    for (let i = 0; i < 3; i++) {
      const next = await client.refreshTokenGrant(config, refreshToken);
      expect(next.refresh_token).not.toBe(refreshToken);
      refreshToken = next.refresh_token!;
    }
  });
});
