import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, REFRESH, isAccepted, jwtPayload, login, registerUser } from "./support/accounts";

// Refresh tokens rotate on every use; a used one coming back means someone copied it.
describe.each(testDatabases)("refresh rotation on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const refresh = (token?: string, headers?: Record<string, string>) => server.gql(REFRESH, token ? { token } : {}, { headers });

  it("returns new access and refresh tokens for the same session", async () => {
    const user = await registerUser(server);
    const first = await login(server, user.username, undefined, { expiresInMinutes: 42 });
    const { body } = await refresh(first.refreshToken);
    expect(body.errors).toBeUndefined();
    const next = body.data.refreshSession;
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.session).toEqual({ id: first.session.id, current: true });
    expect(next.user.id).toBe(user.id);
    // The lifetime chosen at sign-in carries over to refreshed tokens.
    const claims = jwtPayload(next.accessToken);
    expect(claims.exp - claims.iat).toBe(42 * 60);
    expect(await isAccepted(server, next.accessToken)).toBe(true);
    // The rotated chain keeps going.
    expect((await refresh(next.refreshToken)).body.data?.refreshSession.accessToken).toBeTruthy();
  });

  it("revokes the whole session when a retired refresh token is replayed", async () => {
    const user = await registerUser(server);
    const first = await login(server, user.username);
    const second = (await refresh(first.refreshToken)).body.data.refreshSession;
    const third = (await refresh(second.refreshToken)).body.data.refreshSession;

    const replay = await refresh(first.refreshToken);
    expect(replay.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    // Everything issued in that session is dead now, the newest tokens included.
    expect(await isAccepted(server, third.accessToken)).toBe(false);
    expect((await refresh(third.refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const events = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id, type: "REFRESH_TOKEN_REUSED" } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(first.refreshToken);
  });

  it("refuses unknown, missing and revoked-session refresh tokens", async () => {
    expect((await refresh("bm90LWEtcmVhbC10b2tlbg")).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await refresh()).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const user = await registerUser(server);
    const session = await login(server, user.username);
    await server.gql("mutation { logout }", {}, { token: session.accessToken });
    expect((await refresh(session.refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses refresh for a user disabled since", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect((await refresh(session.refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refreshes through the lk_refresh cookie and answers with new cookies", async () => {
    const user = await registerUser(server);
    const signIn = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    const refreshCookie = signIn.headers.getSetCookie().find((c) => c.startsWith("lk_refresh="))!.split(";")[0];
    const { body, headers } = await refresh(undefined, { cookie: refreshCookie });
    expect(body.errors).toBeUndefined();
    const cookies = headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith("lk_access=") && /HttpOnly/.test(c))).toBe(true);
    const newRefresh = cookies.find((c) => c.startsWith("lk_refresh="))!;
    expect(newRefresh).toMatch(/Path=\/graphql/);
    expect(newRefresh.split(";")[0]).not.toBe(refreshCookie);
  });

  it("keeps refresh tokens out of the database in the clear", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const next = (await refresh(session.refreshToken)).body.data.refreshSession;
    const rows = await server.app.database.prisma.refreshToken.findMany({ where: { sessionId: session.session.id } });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect([session.refreshToken, next.refreshToken]).not.toContain(row.tokenHash);
    }
  });
});

// With no idle limit, only the token's own expiry can stop a refresh.
describe.each(testDatabases)("refresh expiry on %s, SESSION_IDLE_TIMEOUT=0", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { SESSION_IDLE_TIMEOUT: "0", REFRESH_TOKEN_TTL: "1h" } });
  });
  afterAll(() => server.stop());

  const refresh = (token: string) => server.gql(REFRESH, { token });

  // Rotation decides and writes in one statement: a token past its expiry must not slide its
  // session's expiry forward or get a successor.
  it("refuses a refresh token past its expiry and leaves its session as it was", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const sessionId = jwtPayload(session.accessToken).sid as string;
    const prisma = server.app.database.prisma;
    const before = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    const tokensBefore = await prisma.refreshToken.count({ where: { sessionId } });
    const jump = before.expiresAt.getTime() - server.clock.now().getTime() + 1_000;
    server.clock.advance(jump);
    try {
      expect((await refresh(session.refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      const after = await prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
      expect(after.expiresAt).toEqual(before.expiresAt);
      expect(after.lastSeenAt).toEqual(before.lastSeenAt);
      expect(await prisma.refreshToken.count({ where: { sessionId } })).toBe(tokensBefore);
      expect(await prisma.refreshToken.count({ where: { sessionId, retiredAt: { not: null } } })).toBe(0);
    } finally {
      server.clock.advance(-jump);
    }
  });
});
