import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { MY_SESSIONS, REFRESH, isAccepted, login, registerUser } from "./support/accounts";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// A stolen refresh token kept fresh by refreshing would otherwise hold a session for ever: every
// refresh used to push the session's expiry 30 days further. SESSION_MAX_LIFETIME ends it.
describe.each(testDatabases)("absolute session lifetime on %s (SESSION_MAX_LIFETIME=1h)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { SESSION_MAX_LIFETIME: "1h", REFRESH_TOKEN_TTL: "30m", SESSION_IDLE_TIMEOUT: "10m" } });
  });
  afterAll(() => server.stop());

  const refresh = (token: string) => server.gql(REFRESH, { token });

  it("caps every refresh at sign-in + 1h and ends the session there, however often it refreshes", async () => {
    const user = await registerUser(server);
    const signIn = await login(server, user.username, undefined, { expiresInMinutes: 30 });
    const signedInAt = (await server.app.database.prisma.session.findUniqueOrThrow({ where: { id: signIn.session.id } })).createdAt.getTime();
    const end = signedInAt + 60 * MINUTE;
    let refreshToken = signIn.refreshToken;
    let accessToken = signIn.accessToken;
    let advanced = 0;
    try {
      // Every 9 minutes, never idle: 6 refreshes reach 54 minutes.
      for (let step = 1; step <= 6; step++) {
        server.clock.advance(9 * MINUTE);
        advanced += 9 * MINUTE;
        const { body } = await refresh(refreshToken);
        expect(body.errors).toBeUndefined();
        const expiresAt = new Date(body.data.refreshSession.refreshTokenExpiresAt).getTime();
        expect(expiresAt).toBeLessThanOrEqual(end);
        refreshToken = body.data.refreshSession.refreshToken;
        accessToken = body.data.refreshSession.accessToken;
      }
      const row = await server.app.database.prisma.session.findUniqueOrThrow({ where: { id: signIn.session.id } });
      expect(row.expiresAt.getTime()).toBe(end);
      const tokenRow = await server.app.database.prisma.refreshToken.findFirstOrThrow({ where: { sessionId: signIn.session.id, retiredAt: null } });
      expect(tokenRow.expiresAt.getTime()).toBe(end);
      expect(await isAccepted(server, accessToken)).toBe(true);

      // Past the hour: the access token (valid for 30 minutes) is refused, and so is the refresh.
      server.clock.advance(7 * MINUTE);
      advanced += 7 * MINUTE;
      expect(await isAccepted(server, accessToken)).toBe(false);
      expect((await refresh(refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    } finally {
      server.clock.advance(-advanced);
    }
  });

  it("starts a session whose refresh token expires at the lifetime when that is sooner than REFRESH_TOKEN_TTL", async () => {
    const other = await startTestServer(kind, { env: { SESSION_MAX_LIFETIME: "20m", REFRESH_TOKEN_TTL: "30m" } });
    try {
      const user = await registerUser(other);
      const { body } = await other.gql(
        `mutation L($input: LoginInput!) { login(input: $input) { ... on AuthPayload { refreshTokenExpiresAt session { id expiresAt } } } }`,
        { input: { identifier: user.username, password: user.password } },
      );
      const payload = body.data.login;
      const row = await other.app.database.prisma.session.findUniqueOrThrow({ where: { id: payload.session.id } });
      expect(new Date(payload.refreshTokenExpiresAt).getTime()).toBe(row.createdAt.getTime() + 20 * MINUTE);
      expect(row.expiresAt.getTime()).toBe(row.createdAt.getTime() + 20 * MINUTE);
    } finally {
      await other.stop();
    }
  });

  it("refuses a session older than the lifetime whatever its stored expiry (signed in before the limit existed)", async () => {
    const user = await registerUser(server);
    const signIn = await login(server, user.username, undefined, { expiresInMinutes: 600 });
    // As a session refreshed under the old rule would be: expiry far in the future.
    await server.app.database.prisma.session.update({
      where: { id: signIn.session.id },
      data: { expiresAt: new Date(server.clock.now().getTime() + 30 * DAY) },
    });
    await server.app.database.prisma.refreshToken.updateMany({
      where: { sessionId: signIn.session.id },
      data: { expiresAt: new Date(server.clock.now().getTime() + 30 * DAY) },
    });
    expect(await isAccepted(server, signIn.accessToken)).toBe(true);
    let advanced = 0;
    try {
      // Kept from idling every 9 minutes, through the hour.
      let refreshToken = signIn.refreshToken;
      for (let minute = 9; minute < 60; minute += 9) {
        server.clock.advance(9 * MINUTE);
        advanced += 9 * MINUTE;
        expect(await isAccepted(server, signIn.accessToken)).toBe(true);
        // Refreshing keeps it alive but never past the hour.
        const { body } = await refresh(refreshToken);
        expect(body.errors).toBeUndefined();
        refreshToken = body.data.refreshSession.refreshToken;
      }
      server.clock.advance(7 * MINUTE);
      advanced += 7 * MINUTE;
      expect(await isAccepted(server, signIn.accessToken)).toBe(false);
      expect((await refresh(refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    } finally {
      server.clock.advance(-advanced);
    }
  });

  it("leaves sessions past the lifetime out of mySessions", async () => {
    const user = await registerUser(server);
    const old = await login(server, user.username);
    await server.app.database.prisma.session.update({
      where: { id: old.session.id },
      data: { createdAt: new Date(server.clock.now().getTime() - 61 * MINUTE), expiresAt: new Date(server.clock.now().getTime() + DAY) },
    });
    const current = await login(server, user.username);
    const { body } = await server.gql(MY_SESSIONS, {}, { token: current.accessToken });
    expect(body.data.mySessions.map((s: { id: string }) => s.id)).toEqual([current.session.id]);
  });
});

describe.each(testDatabases)("absolute session lifetime on %s (defaults: 90d, refresh 30d, no idle limit)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { SESSION_IDLE_TIMEOUT: "0" } });
  });
  afterAll(() => server.stop());

  it("ends a session refreshed every few weeks at 90 days", async () => {
    const user = await registerUser(server);
    const signIn = await login(server, user.username);
    const signedInAt = (await server.app.database.prisma.session.findUniqueOrThrow({ where: { id: signIn.session.id } })).createdAt.getTime();
    let refreshToken = signIn.refreshToken;
    let advanced = 0;
    try {
      for (const days of [25, 25, 25]) {
        server.clock.advance(days * DAY);
        advanced += days * DAY;
        const { body } = await server.gql(REFRESH, { token: refreshToken });
        expect(body.errors).toBeUndefined();
        refreshToken = body.data.refreshSession.refreshToken;
        const expiresAt = new Date(body.data.refreshSession.refreshTokenExpiresAt).getTime();
        if (advanced < 75 * DAY) expect(Math.abs(expiresAt - (server.clock.now().getTime() + 30 * DAY))).toBeLessThan(5_000);
        else expect(expiresAt).toBe(signedInAt + 90 * DAY);
      }
      // Day 75: the token says day 90, not day 105.
      server.clock.advance(15 * DAY);
      advanced += 15 * DAY;
      expect((await server.gql(REFRESH, { token: refreshToken })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    } finally {
      server.clock.advance(-advanced);
    }
  });
});
