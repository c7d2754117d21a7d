import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { isAccepted, login, registerUser } from "./support/accounts";

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
    expect(await server.app.services.sessionPruner.prune()).toEqual({ revokedTokens: 0, sessions: 0 });
  });
});
