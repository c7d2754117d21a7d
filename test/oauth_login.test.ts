import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, jwtPayload } from "./support/accounts";
import { freePort } from "./support/ports";
import { startTestOidcProvider, type TestOidcProvider } from "./support/oidc-test-provider";
import { COMPLETE_OAUTH, OAUTH_PROVIDERS, START_OAUTH, authorizeAt, oauthEnv, signInOk, signInWith, useServerWithOidcProvider } from "./support/oauth";

describe.each(testDatabases)("sign-in with an OpenID provider on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
  useServerWithOidcProvider(kind, (started) => ({ op, server } = started));
  const prisma = () => server.app.database.prisma;

  it("lists the configured providers", async () => {
    const { body } = await server.gql(OAUTH_PROVIDERS);
    expect(body).toEqual({ data: { oauthProviders: [{ id: "testop", name: "Test Provider" }] } });
  });

  it("asks the provider for a code with PKCE (S256), state and nonce, and keeps no secret in clear", async () => {
    const { body } = await server.gql(START_OAUTH, { provider: "testop", redirectUri: op.redirectUri });
    const { authorizationUrl, state } = body.data.startOAuthLogin;
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(op.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: op.clientId,
      response_type: "code",
      redirect_uri: op.redirectUri,
      scope: "openid email profile",
      state,
      code_challenge_method: "S256",
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/),
    });
    const flows = await prisma().oAuthFlow.findMany();
    const flow = flows.find((row) => row.nonce === url.searchParams.get("nonce"))!;
    expect(flow).toMatchObject({ provider: "testop", redirectUri: op.redirectUri, purpose: "LOGIN", userId: null, usedAt: null });
    expect(flow.stateHash).not.toContain(state);
    expect(flow.codeVerifierEncrypted).toMatch(/^v1\./);
    expect(flow.expiresAt.getTime() - flow.createdAt.getTime()).toBe(10 * 60_000);
  });

  it("creates a user on the first sign-in (profile from the claims, no password) and signs the same user in again", async () => {
    const account = op.addAccount({
      sub: "ada-1815",
      email: "ada.lovelace@example.org",
      email_verified: true,
      name: "Ada Lovelace",
      picture: "https://images.example.org/ada.png",
      preferred_username: "ada",
    });
    const first = await signInOk(server, op, account.sub);
    expect(first.__typename).toBe("AuthPayload");
    expect(first.user).toMatchObject({
      username: "ada",
      email: "ada.lovelace@example.org",
      emailVerified: true,
      avatarUrl: "https://images.example.org/ada.png",
      linkedProviders: ["testop"],
      profile: { name: "Ada Lovelace" },
    });
    expect(first.session.current).toBe(true);
    expect(jwtPayload(first.accessToken)).toMatchObject({ sub: first.user.id, sid: first.session.id, role: "USER" });
    const me = await server.gql(ME, {}, { token: first.accessToken });
    expect(me.body.data.me).toMatchObject({ id: first.user.id, username: "ada" });

    const second = await signInOk(server, op, account.sub);
    expect(second.user.id).toBe(first.user.id);
    expect(second.session.id).not.toBe(first.session.id);
    expect(await prisma().user.count({ where: { emailNormalized: "ada.lovelace@example.org" } })).toBe(1);
    expect(await prisma().oAuthAccount.count({ where: { userId: first.user.id } })).toBe(1);
    expect(await prisma().credential.count({ where: { userId: first.user.id } })).toBe(0);

    const events = await prisma().auditEvent.findMany({ where: { userId: first.user.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(["REGISTERED", "OAUTH_ACCOUNT_LINKED", "LOGIN_SUCCEEDED"]),
    );
    const logins = events.filter((event) => event.type === "LOGIN_SUCCEEDED");
    expect(logins).toHaveLength(2);
    expect(logins[0].metadata).toMatchObject({ method: "OAUTH", provider: "testop", sessionId: first.session.id });
    const row = await prisma().user.findUniqueOrThrow({ where: { id: first.user.id } });
    expect(row.lastLoginAt).not.toBeNull();
  });

  it("makes one account when two first sign-ins of one identity run at once", async () => {
    const account = op.addAccount({ sub: "twice-at-once", email: "twice@example.org", email_verified: true, preferred_username: "twice" });
    const flows = [await authorizeAt(server, op, account.sub), await authorizeAt(server, op, account.sub)];
    const results = await Promise.all(
      flows.map(({ provider, code, state, binding }) => server.gql(COMPLETE_OAUTH, { input: { provider, code, state, binding } })),
    );
    const ids = results.map((result) => result.body.data?.completeOAuthLogin.user.id);
    expect(ids[0]).toEqual(expect.any(String));
    expect(ids[1]).toBe(ids[0]);
    expect(await prisma().oAuthAccount.count({ where: { providerSubject: account.sub } })).toBe(1);
    expect(await prisma().user.count({ where: { username: { startsWith: "twice" } } })).toBe(1);
  });

  it("refuses a password sign-in for an account made through a provider, as for a wrong password", async () => {
    const account = op.addAccount({ sub: "no-password-1", email: "nopass@example.org", email_verified: true, preferred_username: "nopass" });
    const payload = await signInOk(server, op, account.sub);
    for (const identifier of [payload.user.username, "nopass@example.org", payload.user.id]) {
      const { body } = await server.gql(LOGIN, { input: { identifier, password: "any-password-at-all-123" } });
      expect(body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
    }
  });

  it("makes derived usernames unique; an unverified address is a claim two accounts may both hold", async () => {
    op.addAccount({ sub: "grace-a", email: "grace@example.org", email_verified: false, name: "Grace Hopper", preferred_username: "grace" });
    op.addAccount({ sub: "grace-b", email: "GRACE@example.org", email_verified: false, name: "Grace Hopper", preferred_username: "grace" });
    const first = await signInOk(server, op, "grace-a");
    const second = await signInOk(server, op, "grace-b");
    expect(first.user.username).toBe("grace");
    expect(second.user.username).toBe("grace2");
    expect(second.user.id).not.toBe(first.user.id);
    // Unverified at the provider: a claim, kept unverified, with the usual verification mail each;
    // the first account to prove the mailbox keeps the address.
    expect(first.user).toMatchObject({ email: "grace@example.org", emailVerified: false });
    expect(second.user).toMatchObject({ email: "GRACE@example.org", emailVerified: false });
    expect(await prisma().outboxMail.count({ where: { to: { in: ["grace@example.org", "GRACE@example.org"] } } })).toBe(2);
  });

  it("derives a username from the e-mail or the name when the provider has none", async () => {
    op.addAccount({ sub: "mail-only", email: "Jean.Dupont+x@example.org", email_verified: true });
    op.addAccount({ sub: "name-only", name: "Émile Zola" });
    op.addAccount({ sub: "nothing" });
    expect((await signInOk(server, op, "mail-only")).user.username).toBe("Jean.Dupontx");
    expect((await signInOk(server, op, "name-only")).user.username).toBe("Emile.Zola");
    expect((await signInOk(server, op, "nothing")).user.username).toMatch(/^user\d*$/);
  });

  it("refuses a disabled account with FORBIDDEN / ACCOUNT_DISABLED", async () => {
    op.addAccount({ sub: "to-disable", preferred_username: "disabled.one" });
    const payload = await signInOk(server, op, "to-disable");
    await prisma().user.update({ where: { id: payload.user.id }, data: { disabled: true } });
    const { body } = await signInWith(server, op, "to-disable");
    expect(body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DISABLED" });
    expect(await prisma().session.count({ where: { userId: payload.user.id } })).toBe(1);
  });

  it("answers UNAUTHENTICATED / Invalid credentials for an account that was deleted", async () => {
    op.addAccount({ sub: "to-delete", preferred_username: "deleted.one" });
    const payload = await signInOk(server, op, "to-delete");
    await prisma().user.update({ where: { id: payload.user.id }, data: { deletedAt: new Date() } });
    const { body } = await signInWith(server, op, "to-delete");
    expect(body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
  });

  it("refuses an unknown provider and an empty code as BAD_USER_INPUT", async () => {
    const start = await server.gql(START_OAUTH, { provider: "nope", redirectUri: op.redirectUri });
    expect(start.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "provider" });
    const callback = await authorizeAt(server, op, op.addAccount({ sub: "empty-code" }).sub);
    const { body } = await server.gql(COMPLETE_OAUTH, { input: { provider: "testop", code: "", state: callback.state } });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "code" });
  });
});

describe("provider discovery", () => {
  it("does not hold up start-up, answers SERVICE_UNAVAILABLE while the provider is down, and retries once it is up", async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const redirectUri = "http://localhost:5173/oauth/callback";
    const config = { id: "late", name: "Late", issuer, clientId: "latchkey-test", clientSecret: "latchkey-test-client-secret-0123456789", redirectUris: [redirectUri] };
    const server = await startTestServer("pglite", { env: { OIDC_PROVIDERS: JSON.stringify([config]) } });
    let op: TestOidcProvider | undefined;
    try {
      expect((await server.gql(OAUTH_PROVIDERS)).body.data.oauthProviders).toEqual([{ id: "late", name: "Late" }]);
      const down = await server.gql(START_OAUTH, { provider: "late", redirectUri });
      expect(down.body.errors?.[0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE" });

      op = await startTestOidcProvider({ port, redirectUri });
      const up = await server.gql(START_OAUTH, { provider: "late", redirectUri });
      expect(up.body.errors).toBeUndefined();
      expect(new URL(up.body.data.startOAuthLogin.authorizationUrl).origin).toBe(issuer);
    } finally {
      await server.stop();
      await op?.close();
    }
  });
});

describe("rate limits", () => {
  it("counts startOAuthLogin and completeOAuthLogin per IP", async () => {
    const op = await startTestOidcProvider();
    const server = await startTestServer("pglite", {
      env: { ...oauthEnv(op), RATE_LIMIT_START_OAUTH_LOGIN: "2/1m", RATE_LIMIT_COMPLETE_OAUTH_LOGIN: "1/1m" },
    });
    try {
      for (let i = 0; i < 2; i++) {
        expect((await server.gql(START_OAUTH, { provider: "testop", redirectUri: op.redirectUri })).body.errors).toBeUndefined();
      }
      const third = await server.gql(START_OAUTH, { provider: "testop", redirectUri: op.redirectUri });
      expect(third.body.errors?.[0].extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });

      const input = { provider: "testop", code: "c", state: "s" };
      expect((await server.gql(COMPLETE_OAUTH, { input })).body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect((await server.gql(COMPLETE_OAUTH, { input })).body.errors?.[0].extensions?.code).toBe("RATE_LIMITED");
    } finally {
      await server.stop();
      await op.close();
    }
  });
});
