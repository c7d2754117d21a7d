import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { decodeIdToken, type TestOidcProvider } from "./support/oidc-test-provider";
import { COMPLETE_OAUTH, START_OAUTH, authorizeAt, useServerWithOidcProvider } from "./support/oauth";

describe.each(testDatabases)("OAuth state, nonce, redirect and ID token checks on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
    // "twin" is the same provider under another id: a state started for one is no good for the other.
  useServerWithOidcProvider(kind, (started) => ({ op, server } = started), { extraProviders: (op) => [op.latchkeyConfig({ id: "twin", name: "Twin" })] });
  const prisma = () => server.app.database.prisma;
  let counter = 0;
  const freshAccount = () => op.addAccount({ sub: `replay-${++counter}`, email: `replay${counter}@example.org`, email_verified: true });

  async function complete(input: { provider: string; code: string; state: string; binding?: string }) {
    return (await server.gql(COMPLETE_OAUTH, { input })).body;
  }
  const sessions = () => prisma().session.count();

  it("takes a state once: completing the same callback twice is refused", async () => {
    const { authorizationUrl, ...input } = await authorizeAt(server, op, freshAccount().sub);
    void authorizationUrl;
    const first = await complete(input);
    expect(first.data?.completeOAuthLogin.__typename).toBe("AuthPayload");
    const before = await sessions();
    const second = await complete(input);
    expect(second.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });
    expect(second.errors?.[0].message).toMatch(/already been completed/);
    expect(await sessions()).toBe(before);
  });

  it("gives one of two racing completions of one state the tokens, and the other an error", async () => {
    const { authorizationUrl, ...input } = await authorizeAt(server, op, freshAccount().sub);
    void authorizationUrl;
    const results = await Promise.all([complete(input), complete(input)]);
    const ok = results.filter((body) => body.data?.completeOAuthLogin);
    expect(ok).toHaveLength(1);
    const refused = results.find((body) => body.errors)!;
    expect(refused.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });
  });

  it("refuses a code from one flow presented with the state of another", async () => {
    const account = freshAccount();
    const stolen = await authorizeAt(server, op, account.sub);
    const own = await authorizeAt(server, op, account.sub);
    const before = await sessions();
    const body = await complete({ provider: "testop", code: stolen.code, state: own.state, binding: own.binding });
    expect(body.errors?.[0]).toMatchObject({ message: "Sign-in with the provider failed", extensions: { code: "UNAUTHENTICATED" } });
    expect(await sessions()).toBe(before);
  });

  it("refuses an unknown state, an expired one and one started for another provider", async () => {
    const unknown = await complete({ provider: "testop", code: "whatever", state: "not-a-state" });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });

    const { authorizationUrl, ...late } = await authorizeAt(server, op, freshAccount().sub);
    void authorizationUrl;
    server.clock.advance(10 * 60_000 + 1_000);
    try {
      const expired = await complete(late);
      expect(expired.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });
      expect(expired.errors?.[0].message).toMatch(/expired/);
      // Expired flows, used or not, are pruned by the maintenance job.
      expect(await server.app.services.oauth.pruneFlows()).toBeGreaterThan(0);
      expect(await prisma().oAuthFlow.count({ where: { expiresAt: { lte: server.clock.now() } } })).toBe(0);
    } finally {
      server.clock.advance(-(10 * 60_000 + 1_000));
    }

    const other = await authorizeAt(server, op, freshAccount().sub);
    const crossed = await complete({ provider: "twin", code: other.code, state: other.state, binding: other.binding });
    expect(crossed.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });
    // Not consumed by the wrong provider: the right one still completes it.
    const right = await complete({ provider: "testop", code: other.code, state: other.state, binding: other.binding });
    expect(right.data?.completeOAuthLogin.__typename).toBe("AuthPayload");
  });

  it("refuses a redirect URI outside the provider's allow-list", async () => {
    for (const redirectUri of [
      "https://evil.example/oauth/callback",
      `${op.redirectUri}/`,
      `${op.redirectUri}?next=/admin`,
      op.redirectUri.toUpperCase(),
    ]) {
      const { body } = await server.gql(START_OAUTH, { provider: "testop", redirectUri });
      expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "redirectUri" });
    }
  });

  describe("ID tokens that must not verify", () => {
    // Each case re-signs the provider's real ID token with one thing changed.
    const now = () => Math.floor(Date.now() / 1000);
    // Every row has all three entries: jest passes `done` to a test function with more parameters than the row.
    const cases: Array<[string, (claims: Record<string, any>) => Record<string, any>, { foreignKey?: boolean }]> = [
      ["issued for another audience", (claims) => ({ ...claims, aud: "another-client" }), {}],
      ["issued for several audiences, ours among them, to another party", (claims) => ({ ...claims, aud: [claims.aud, "another-client"], azp: "another-client" }), {}],
      ["from another issuer", (claims) => ({ ...claims, iss: "https://issuer.evil.example" }), {}],
      ["expired", (claims) => ({ ...claims, iat: now() - 7200, exp: now() - 3600 }), {}],
      ["carrying another flow's nonce", (claims) => ({ ...claims, nonce: "a-nonce-from-an-earlier-sign-in" }), {}],
      ["without a nonce", ({ nonce, ...claims }) => (void nonce, claims), {}],
      ["signed by a key outside the provider's JWKS", (claims) => claims, { foreignKey: true }],
    ];

    it.each(cases)("refuses one %s", async (_name, change, options) => {
      const account = freshAccount();
      op.tamperNextIdToken(async (idToken) => op.signIdToken(change({ ...decodeIdToken(idToken).claims }), options));
      const { authorizationUrl, ...input } = await authorizeAt(server, op, account.sub);
      void authorizationUrl;
      const before = await sessions();
      const body = await complete(input);
      expect(body.errors?.[0]).toMatchObject({ message: "Sign-in with the provider failed", extensions: { code: "UNAUTHENTICATED" } });
      expect(await sessions()).toBe(before);
      expect(await prisma().oAuthAccount.count({ where: { providerSubject: account.sub } })).toBe(0);
      const failure = await prisma().auditEvent.findFirst({ where: { type: "LOGIN_FAILED" }, orderBy: { createdAt: "desc" } });
      expect(failure?.metadata).toMatchObject({ method: "OAUTH", provider: "testop", reason: "PROVIDER_REJECTED" });
    });

    it("accepts the same token re-signed unchanged (the checks above fail for their change alone)", async () => {
      const account = freshAccount();
      op.tamperNextIdToken(async (idToken) => op.signIdToken({ ...decodeIdToken(idToken).claims }));
      const { authorizationUrl, ...input } = await authorizeAt(server, op, account.sub);
      void authorizationUrl;
      const body = await complete(input);
      expect(body.data?.completeOAuthLogin.__typename).toBe("AuthPayload");
    });

    it("refuses an ID token replayed from an earlier sign-in (its nonce is spent)", async () => {
      const account = freshAccount();
      const { authorizationUrl: firstUrl, ...first } = await authorizeAt(server, op, account.sub);
      void firstUrl;
      expect((await complete(first)).data?.completeOAuthLogin.__typename).toBe("AuthPayload");
      const earlier = op.issuedIdTokens.at(-1)!;

      op.tamperNextIdToken(async () => earlier);
      const { authorizationUrl, ...second } = await authorizeAt(server, op, account.sub);
      expect(new URL(authorizationUrl).searchParams.get("nonce")).not.toBe(decodeIdToken(earlier).claims.nonce);
      const before = await sessions();
      const body = await complete(second);
      expect(body.errors?.[0].extensions).toMatchObject({ code: "UNAUTHENTICATED" });
      expect(await sessions()).toBe(before);
    });
  });
});
