import * as client from "openid-client";
import { START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser } from "./support/accounts";
import { REDIRECT_URI, codeFlowTokens, registerClient, relyingParty, startProviderServer } from "./support/oidc-relying-party";

describe.each(testDatabases)("OpenID Provider client credentials, introspection and revocation on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startProviderServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
  const postForm = (path: string, form: Record<string, string>, authorization?: string) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) },
      body: new URLSearchParams(form).toString(),
    });

  it("grants a machine client an access token with its secret (client_secret_basic)", async () => {
    const registered = await registerClient(server, { grantTypes: ["client_credentials"], redirectUris: [] });
    const config = await relyingParty(server, registered);
    const tokens = await client.clientCredentialsGrant(config);
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.expires_in).toBeLessThanOrEqual(600);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
  });

  it("refuses a wrong secret, an unknown client and a missing secret with invalid_client", async () => {
    const registered = await registerClient(server, { grantTypes: ["client_credentials"], redirectUris: [] });
    for (const authorization of [
      basic(registered.clientId, `${registered.clientSecret}x`),
      basic(registered.clientId, registered.clientSecret!.slice(1)),
      basic("no-such-client", registered.clientSecret!),
    ]) {
      const response = await postForm("/oidc/token", { grant_type: "client_credentials" }, authorization);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toBe("invalid_client");
    }
    const unauthenticated = await postForm("/oidc/token", { grant_type: "client_credentials", client_id: registered.clientId });
    expect(unauthenticated.status).toBe(401);
    expect(((await unauthenticated.json()) as { error: string }).error).toBe("invalid_client");
    // The secret itself works (control) and is never accepted in the body (client_secret_post is off).
    expect((await postForm("/oidc/token", { grant_type: "client_credentials" }, basic(registered.clientId, registered.clientSecret!))).status).toBe(200);
    const posted = await postForm("/oidc/token", { grant_type: "client_credentials", client_id: registered.clientId, client_secret: registered.clientSecret! });
    expect(posted.status).toBe(401);
  });

  it("refuses a grant type the client was not registered for", async () => {
    const registered = await registerClient(server, { grantTypes: ["authorization_code"] });
    const response = await postForm("/oidc/token", { grant_type: "client_credentials" }, basic(registered.clientId, registered.clientSecret!));
    expect(response.status).toBe(400);
    // The engine's answer (invalid_request, naming the grant type); no token either way.
    expect(await response.json()).toEqual({ error: "invalid_request", error_description: "requested grant type is not allowed for this client" });
  });

  it("introspects a live token as active and a revoked one as inactive", async () => {
    const registered = await registerClient(server, { grantTypes: ["client_credentials"], redirectUris: [] });
    const config = await relyingParty(server, registered);
    const { access_token } = await client.clientCredentialsGrant(config);
    const live = await client.tokenIntrospection(config, access_token);
    expect(live).toMatchObject({ active: true, client_id: registered.clientId });
    expect((await client.tokenIntrospection(config, "not-a-token")).active).toBe(false);

    await client.tokenRevocation(config, access_token);
    expect((await client.tokenIntrospection(config, access_token)).active).toBe(false);
  });

  it("revokes a user's refresh token: it no longer refreshes and introspects inactive", async () => {
    const user = await registerUser(server);
    const registered = await registerClient(server);
    const config = await relyingParty(server, registered);
    const tokens = await codeFlowTokens(server, config, user.id);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect((await client.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(true);
    await client.tokenRevocation(config, tokens.refresh_token!);
    expect((await client.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("lets no client revoke another client's token", async () => {
    const owner = await registerClient(server, { grantTypes: ["client_credentials"], redirectUris: [] });
    const other = await registerClient(server, { grantTypes: ["client_credentials"], redirectUris: [] });
    const { access_token } = await client.clientCredentialsGrant(await relyingParty(server, owner));
    await expect(client.tokenRevocation(await relyingParty(server, other), access_token)).rejects.toBeTruthy();
    expect((await client.tokenIntrospection(await relyingParty(server, owner), access_token)).active).toBe(true);
  });

  it("refuses a public client without PKCE, a plain challenge, and an unregistered redirect URI", async () => {
    const registered = await registerClient(server, { public: true, grantTypes: ["authorization_code", "refresh_token"] });
    const authorize = (params: Record<string, string>) =>
      fetch(`${server.url}/oidc/auth?${new URLSearchParams({ client_id: registered.clientId, response_type: "code", scope: "openid", ...params })}`, {
        redirect: "manual",
      });
    const withoutPkce = await authorize({ redirect_uri: REDIRECT_URI });
    expect(new URL(withoutPkce.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const plain = await authorize({ redirect_uri: REDIRECT_URI, code_challenge: "a".repeat(43), code_challenge_method: "plain" });
    expect(new URL(plain.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    // An unregistered redirect URI is never redirected to: the error shows on this server.
    const stranger = await authorize({ redirect_uri: "http://127.0.0.1:5599/elsewhere", code_challenge: "a".repeat(43), code_challenge_method: "S256" });
    expect(stranger.status).toBe(400);
    expect(stranger.headers.get("location")).toBeNull();
    expect(await stranger.text()).toContain("redirect_uri");
    // Control: the same request with PKCE S256 and the registered URI goes on to sign-in.
    const good = await authorize({ redirect_uri: REDIRECT_URI, code_challenge: "a".repeat(43), code_challenge_method: "S256" });
    expect(good.status).toBe(303);
    expect(new URL(good.headers.get("location")!, server.url).pathname).toMatch(/^\/oidc\/interaction\//);
  });
});
