import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { REFRESH, isAccepted, login, registerUser } from "./support/accounts";

const MINUTE = 60_000;

describe.each(testDatabases)("sliding inactivity expiry on %s", (kind) => {
  describe("with SESSION_IDLE_TIMEOUT=3m", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, { env: { SESSION_IDLE_TIMEOUT: "3m" } });
    });
    afterAll(() => server.stop());

    const lastSeenAt = async (sessionId: string) =>
      (await server.app.database.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt.getTime();

    it("keeps a session that is used alive well past the idle limit", async () => {
      const user = await registerUser(server);
      const session = await login(server, user.username, undefined, { expiresInMinutes: 60 });
      for (let step = 0; step < 5; step++) {
        server.clock.advance(2 * MINUTE);
        expect(await isAccepted(server, session.accessToken)).toBe(true);
      }
    });

    it("refuses the tokens of a session idle past the limit", async () => {
      const user = await registerUser(server);
      const session = await login(server, user.username, undefined, { expiresInMinutes: 60 });
      server.clock.advance(3 * MINUTE + 1_000);
      expect(await isAccepted(server, session.accessToken)).toBe(false);
      expect((await server.gql(REFRESH, { token: session.refreshToken })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    });

    it("writes lastSeenAt at most once a minute, not on every request", async () => {
      const user = await registerUser(server);
      const session = await login(server, user.username, undefined, { expiresInMinutes: 60 });
      const start = await lastSeenAt(session.session.id);
      server.clock.advance(30_000);
      await isAccepted(server, session.accessToken);
      expect(await lastSeenAt(session.session.id)).toBe(start);
      server.clock.advance(31_000);
      await isAccepted(server, session.accessToken);
      const moved = await lastSeenAt(session.session.id);
      expect(moved).toBeGreaterThan(start);
      await isAccepted(server, session.accessToken);
      expect(await lastSeenAt(session.session.id)).toBe(moved);
    });

    it("counts a refresh as activity", async () => {
      const user = await registerUser(server);
      const session = await login(server, user.username, undefined, { expiresInMinutes: 60 });
      server.clock.advance(2 * MINUTE);
      const refreshed = (await server.gql(REFRESH, { token: session.refreshToken })).body.data.refreshSession;
      server.clock.advance(2 * MINUTE);
      expect(await isAccepted(server, refreshed.accessToken)).toBe(true);
    });
  });

  describe("with SESSION_IDLE_TIMEOUT=0", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, { env: { SESSION_IDLE_TIMEOUT: "0" } });
    });
    afterAll(() => server.stop());

    it("never ends a session for inactivity", async () => {
      const user = await registerUser(server);
      const session = await login(server, user.username, undefined, { expiresInMinutes: 24 * 60 });
      server.clock.advance(12 * 60 * MINUTE);
      expect(await isAccepted(server, session.accessToken)).toBe(true);
    });
  });
});
