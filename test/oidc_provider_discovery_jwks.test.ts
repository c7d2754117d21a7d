import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as client from "openid-client";
import { START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser } from "./support/accounts";
import { codeFlowTokens, registerClient, relyingParty, startProviderServer } from "./support/oidc-relying-party";

describe.each(testDatabases)("OpenID Provider discovery and keys on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startProviderServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  // The engine's paths are handed to it before express: they must still get the request log's
  // id and the engine's own security headers (no framing, no express banner).
  it("answers the engine's paths with the request's id and its own security headers", async () => {
    for (const [path, init] of [
      ["/.well-known/openid-configuration", { headers: { "x-request-id": "probe-discovery-1" } }],
      [
        "/oidc/token",
        {
          method: "POST",
          headers: { "x-request-id": "probe-token-1", "content-type": "application/x-www-form-urlencoded" },
          body: "grant_type=client_credentials&client_id=nobody",
        },
      ],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, init);
      await response.text();
      expect(response.status).toBeLessThan(500);
      expect(response.headers.get("x-request-id")).toBe(init.headers["x-request-id"]);
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("publishes discovery at the root with PUBLIC_URL as issuer, and serves every endpoint it lists", async () => {
    const response = await fetch(`${server.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, any>;
    expect(metadata.issuer).toBe(server.url);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(["RS256", "EdDSA"]));
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
    expect(metadata.grant_types_supported).toEqual(
      expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"]),
    );
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "none"]));
    expect(metadata.token_endpoint_auth_methods_supported).not.toContain("client_secret_jwt");
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "offline_access"]));
    const endpoints = Object.entries(metadata).filter(([key]) => key.endsWith("_endpoint") || key === "jwks_uri");
    expect(endpoints.map(([key]) => key).sort()).toEqual([
      "authorization_endpoint",
      "device_authorization_endpoint",
      "end_session_endpoint",
      "introspection_endpoint",
      "jwks_uri",
      "revocation_endpoint",
      "token_endpoint",
      "userinfo_endpoint",
    ]);
    for (const [key, url] of endpoints) {
      expect(String(url).startsWith(`${server.url}/oidc/`)).toBe(true);
      // Served by this server: whatever the engine says to an empty request, it is not "not found".
      const method = ["authorization_endpoint", "end_session_endpoint", "jwks_uri", "userinfo_endpoint"].includes(key) ? "GET" : "POST";
      const answer = await fetch(String(url), { method, redirect: "manual" });
      expect({ key, notFound: answer.status === 404, serverError: answer.status >= 500 }).toEqual({ key, notFound: false, serverError: false });
      expect(await answer.text()).not.toMatch(/at .*\.(js|ts):\d+/);
    }
  });

  it("keeps its paths apart: only discovery and /oidc reach the engine", async () => {
    expect((await fetch(`${server.url}/oidc/nothing-here`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // The access-token JWKS stays where it was.
    expect((await fetch(`${server.url}/.well-known/jwks.json`)).status).toBe(200);
  });

  it("signs ID tokens RS256 by default, verifiable with the published JWKS by jose", async () => {
    const user = await registerUser(server);
    const registered = await registerClient(server);
    const tokens = await codeFlowTokens(server, await relyingParty(server, registered), user.id);
    const idToken = tokens.id_token!;
    expect(decodeProtectedHeader(idToken).alg).toBe("RS256");
    const jwks = createRemoteJWKSet(new URL(`${server.url}/oidc/jwks`));
    const { payload } = await jwtVerify(idToken, jwks, { issuer: server.url, audience: registered.clientId, algorithms: ["RS256"] });
    expect(payload.sub).toBe(user.id);
    expect(payload.email).toBeUndefined(); // claims go to userinfo unless asked for in the ID token
  });

  it("signs with EdDSA for a client registered for it, and both keys are in the JWKS", async () => {
    const user = await registerUser(server);
    const registered = await registerClient(server, { idTokenSigningAlg: "EdDSA" });
    const tokens = await codeFlowTokens(server, await relyingParty(server, registered, { id_token_signed_response_alg: "EdDSA" }), user.id);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe("EdDSA");
    const jwks = createRemoteJWKSet(new URL(`${server.url}/oidc/jwks`));
    const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: server.url, audience: registered.clientId, algorithms: ["EdDSA"] });
    expect(payload.sub).toBe(user.id);
    const keys = ((await (await fetch(`${server.url}/oidc/jwks`)).json()) as { keys: Array<{ kty: string; alg: string; d?: string }> }).keys;
    expect(keys.map((key) => key.alg).sort()).toEqual(["EdDSA", "RS256"]);
    expect(keys.every((key) => key.d === undefined)).toBe(true);
  });

  it("publishes the rotated keys: new ones sign, the old ones still verify", async () => {
    const user = await registerUser(server);
    const registered = await registerClient(server);
    const config = await relyingParty(server, registered);
    const before = (await codeFlowTokens(server, config, user.id)).id_token!;
    await server.app.services.signingKeys.rotate();
    server.app.services.oidcProvider.refreshKeys();
    const after = (await codeFlowTokens(server, config, user.id)).id_token!;
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/oidc/jwks`));
    for (const token of [before, after]) {
      expect((await jwtVerify(token, jwks, { issuer: server.url, audience: registered.clientId })).payload.sub).toBe(user.id);
    }
  });

  it("answers userinfo with the account's claims for the scopes granted", async () => {
    const user = await registerUser(server);
    const registered = await registerClient(server);
    const config = await relyingParty(server, registered);
    const tokens = await codeFlowTokens(server, config, user.id);
    const info = await client.fetchUserInfo(config, tokens.access_token, user.id);
    expect(info).toMatchObject({ sub: user.id, preferred_username: user.username, email: user.email, email_verified: false });
  });
});
