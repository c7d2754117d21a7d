import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { isAccepted, login, REFRESH, registerUser } from "./support/accounts";

describe.each(testDatabases)("pruning expired revocations and dead sessions on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { SESSION_IDLE_TIMEOUT: "10m" } });
  });
  afterAll(() => server.stop());

  it("removes revoked-token rows after their tokens expire, and sessions that can never be used again", async () => {
    const prisma = server.app.database.prisma;
    const user = await registerUser(server);
    const loggedOut = await login(server, user.username, undefined, { expiresInMinutes: 5 });
    await server.gql("mutation { logout }", {}, { token: loggedOut.accessToken });
    const idle = await login(server, user.username, undefined, { expiresInMinutes: 60 });

    // Nothing is prunable yet: the revoked token could still be presented.
    await server.app.services.sessionPruner.prune();
    expect(await prisma.revokedToken.count()).toBeGreaterThan(0);

    // An hour later: the logged-out token has expired, the idle session is past its limit.
    server.clock.advance(60 * 60_000);
    const active = await login(server, user.username, undefined, { expiresInMinutes: 60 });
    const result = await server.app.services.sessionPruner.prune();
    expect(result.revokedTokens).toBeGreaterThan(0);
    expect(await prisma.revokedToken.count()).toBe(0);
    expect(await prisma.session.count({ where: { id: idle.session.id } })).toBe(0);
    expect(await prisma.session.count({ where: { id: active.session.id } })).toBe(1);
    expect(await isAccepted(server, active.accessToken)).toBe(true);
    // Pruning twice, as two processes might, is harmless.
    expect(await server.app.services.sessionPruner.prune()).toEqual({ revokedTokens: 0, refreshTokens: 0, sessions: 0 });
  });
});

// A session that keeps refreshing never expires, and rotation keeps each retired token to catch
// a replay. Left alone, such a session would keep a row per refresh for as long as it lives.
describe.each(testDatabases)("pruning retired refresh tokens of a session in constant use on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { REFRESH_TOKEN_TTL: "1h", SESSION_IDLE_TIMEOUT: "0" } });
  });
  afterAll(() => server.stop());

  const refresh = async (token: string) => (await server.gql(REFRESH, { token })).body;

  it("deletes refresh tokens past their own expiry, keeps the session going, and still catches the replay of a kept one", async () => {
    const prisma = server.app.database.prisma;
    const user = await registerUser(server);
    const first = await login(server, user.username);
    const tokensOfSession = () => prisma.refreshToken.count({ where: { sessionId: first.session.id } });
    const second = (await refresh(first.refreshToken)).data.refreshSession;
    server.clock.advance(30 * 60_000);
    const third = (await refresh(second.refreshToken)).data.refreshSession;

    // Retired but not expired: kept, since presenting them again must still revoke the session.
    expect((await server.app.services.sessionPruner.prune()).refreshTokens).toBe(0);
    expect(await tokensOfSession()).toBe(3);

    // Past the first two tokens' hour, the session (slid by each refresh) lives on.
    server.clock.advance(40 * 60_000);
    const fourth = (await refresh(third.refreshToken)).data.refreshSession;
    expect((await server.app.services.sessionPruner.prune()).refreshTokens).toBe(2);
    expect(await tokensOfSession()).toBe(2);
    const fifth = (await refresh(fourth.refreshToken)).data.refreshSession;
    expect(fifth.session.id).toBe(first.session.id);

    // The retired token that was kept is still a replay: the whole session goes.
    expect((await refresh(third.refreshToken)).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await refresh(fifth.refreshToken)).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(await prisma.auditEvent.count({ where: { userId: user.id, type: "REFRESH_TOKEN_REUSED" } })).toBe(1);
  });
});
