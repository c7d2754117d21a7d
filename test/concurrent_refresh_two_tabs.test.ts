import { Client } from "pg";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, REFRESH, isAccepted, login, registerUser } from "./support/accounts";

// Two tabs of one app refresh with the same token at the same moment: the loser presents a token
// the winner has just retired. Within REFRESH_REUSE_INTERVAL (10s) that is not theft: it gets the
// winner's successor. Later, or once the successor has been used, it is, and the session ends.
describe.each(testDatabases)("two tabs refreshing at once on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const refresh = (token?: string, headers?: Record<string, string>) => server.gql(REFRESH, token ? { token } : {}, { headers });
  const code = (response: Awaited<ReturnType<typeof refresh>>) => response.body.errors?.[0].extensions?.code;
  const reuseEvents = (userId: string) =>
    server.app.database.prisma.auditEvent.count({ where: { userId, type: "REFRESH_TOKEN_REUSED" } });
  const revokedAt = async (sessionId: string) =>
    (await server.app.database.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).revokedAt;

  it("gives simultaneous refreshes with one token the same successor, and keeps the session", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken), refresh(session.refreshToken)]);
    for (const result of results) expect(result.body.errors).toBeUndefined();
    const payloads = results.map((result) => result.body.data.refreshSession);
    expect(new Set(payloads.map((p) => p.refreshToken)).size).toBe(1);
    expect(new Set(payloads.map((p) => p.refreshTokenExpiresAt)).size).toBe(1);
    expect(payloads[0].refreshToken).not.toBe(session.refreshToken);
    for (const payload of payloads) {
      expect(payload.session.id).toBe(session.session.id);
      expect(await isAccepted(server, payload.accessToken)).toBe(true);
    }
    // One rotation happened: one live token, the successor.
    const live = await server.app.database.prisma.refreshToken.count({ where: { sessionId: session.session.id, retiredAt: null } });
    expect(live).toBe(1);
    expect(await revokedAt(session.session.id)).toBeNull();
    expect(await reuseEvents(user.id)).toBe(0);

    // The successor then rotates as usual, once.
    const next = await refresh(payloads[0].refreshToken);
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data.refreshSession.refreshToken).not.toBe(payloads[0].refreshToken);
    expect(await isAccepted(server, next.body.data.refreshSession.accessToken)).toBe(true);
  });

  it("revokes the session when the retired token comes back after the interval", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const successor = (await refresh(session.refreshToken)).body.data.refreshSession;
    server.clock.advance(10_000);
    const replay = await refresh(session.refreshToken);
    expect(code(replay)).toBe("UNAUTHENTICATED");
    expect(await revokedAt(session.session.id)).not.toBeNull();
    expect(await isAccepted(server, successor.accessToken)).toBe(false);
    expect(code(await refresh(successor.refreshToken))).toBe("UNAUTHENTICATED");
    expect(await reuseEvents(user.id)).toBe(1);
  });

  // Decided: once the successor has been used, its predecessor is no longer a tab that lost a
  // race but a copy, even within the interval; handing out the newest token would give a thief
  // the session. Its sealed copy is erased when the successor is retired, so nothing can open it.
  it("revokes the session when the retired token's successor has been used already, even within the interval", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const second = (await refresh(session.refreshToken)).body.data.refreshSession;
    const third = (await refresh(second.refreshToken)).body.data.refreshSession;
    // Only the newest token carries a sealed copy; the used successor's was erased when it was retired.
    const sealed = await server.app.database.prisma.refreshToken.findMany({
      where: { sessionId: session.session.id, predecessorSeal: { not: null } },
      select: { retiredAt: true },
    });
    expect(sealed).toEqual([{ retiredAt: null }]);

    const replay = await refresh(session.refreshToken);
    expect(code(replay)).toBe("UNAUTHENTICATED");
    expect(await revokedAt(session.session.id)).not.toBeNull();
    expect(await isAccepted(server, third.accessToken)).toBe(false);
    expect(code(await refresh(third.refreshToken))).toBe("UNAUTHENTICATED");
  });

  it("keeps the successor sealed, not in the clear, and only the retired token opens it", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const successor = (await refresh(session.refreshToken)).body.data.refreshSession;
    const rows = await server.app.database.prisma.refreshToken.findMany({ where: { sessionId: session.session.id } });
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(successor.refreshToken);
    expect(dump).not.toContain(session.refreshToken);
    expect(rows.filter((row) => row.predecessorSeal)).toHaveLength(1);
    // A made-up token is unknown; the session stays.
    expect(code(await refresh("bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtYWJjZGVmZ2g"))).toBe("UNAUTHENTICATED");
    expect(await revokedAt(session.session.id)).toBeNull();
  });

  it("answers the second tab in cookie mode with the same lk_refresh cookie", async () => {
    const user = await registerUser(server);
    const signIn = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith("lk_refresh="))!.split(";")[0];
    const [a, b] = await Promise.all([refresh(undefined, { cookie }), refresh(undefined, { cookie })]);
    expect(a.body.errors).toBeUndefined();
    expect(b.body.errors).toBeUndefined();
    const refreshCookie = (response: typeof a) => response.headers.getSetCookie().find((c) => c.startsWith("lk_refresh="))!.split(";")[0];
    expect(refreshCookie(a)).toBe(refreshCookie(b));
    expect(refreshCookie(a)).not.toBe(cookie);
  });
});

describe.each(testDatabases)("REFRESH_REUSE_INTERVAL=0 on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { REFRESH_REUSE_INTERVAL: "0" } });
  });
  afterAll(() => server.stop());

  const refresh = (token: string) => server.gql(REFRESH, { token });

  it("lets exactly one of simultaneous refreshes with one token succeed", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken), refresh(session.refreshToken)]);
    const winners = results.filter((r) => r.body.data?.refreshSession);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => !r.body.data?.refreshSession)) {
      expect(loser.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
    const live = await server.app.database.prisma.refreshToken.count({ where: { sessionId: session.session.id, retiredAt: null } });
    expect(live).toBeLessThanOrEqual(1);
  });

  it("revokes the session at once when a just-retired token comes back", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const successor = (await refresh(session.refreshToken)).body.data.refreshSession;
    expect((await refresh(session.refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(await isAccepted(server, successor.accessToken)).toBe(false);
  });
});

// On PostgreSQL the loser of the race may have read the token before the winner committed; the
// row lock held here makes every request read it unretired and then wait, which is that case.
describe("two tabs whose refreshes read the token before either commits, on postgres", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("postgres");
  });
  afterAll(() => server.stop());

  it("still gives every request the same successor", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const blocker = new Client({ connectionString: server.app.config.databaseUrl });
    const watcher = new Client({ connectionString: server.app.config.databaseUrl });
    await blocker.connect();
    await watcher.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query(`SELECT id FROM "RefreshToken" WHERE "sessionId" = $1 FOR UPDATE`, [session.session.id]);
      const pending = Promise.all([0, 1, 2].map(() => server.gql(REFRESH, { token: session.refreshToken })));
      // Wait until all three statements have read the token and queue for its lock.
      for (;;) {
        const { rows } = await watcher.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (rows[0].waiting >= 3) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await blocker.query("COMMIT");
      const results = await pending;
      for (const result of results) expect(result.body.errors).toBeUndefined();
      expect(new Set(results.map((result) => result.body.data.refreshSession.refreshToken)).size).toBe(1);
      expect((await server.app.database.prisma.session.findUniqueOrThrow({ where: { id: session.session.id } })).revokedAt).toBeNull();
    } finally {
      await blocker.end();
      await watcher.end();
    }
  });
});
