import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, jwtPayload, login, registerUser } from "./support/accounts";

describe.each(testDatabases)("login on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ACCESS_TOKEN_TTL: "15m", ACCESS_TOKEN_MAX_TTL: "24h" } });
  });
  afterAll(() => server.stop());

  it("signs in by username in any case, by e-mail and by user id", async () => {
    const user = await registerUser(server);
    for (const identifier of [user.username.toUpperCase(), user.email.toUpperCase(), user.id]) {
      const payload = await login(server, identifier);
      expect(payload.user).toEqual({ id: user.id, username: user.username, email: user.email });
    }
  });

  it("returns a session, a refresh token and an access token that `me` accepts", async () => {
    const user = await registerUser(server);
    const payload = await login(server, user.username);
    expect(payload.session).toEqual({ id: expect.any(String), current: true });
    expect(payload.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await server.gql(ME, {}, { token: payload.accessToken });
    expect(me.body).toEqual({ data: { me: { id: user.id, username: user.username, email: user.email, role: "USER" } } });
  });

  it("carries the contract's claims with exp - iat equal to expiresInMinutes * 60", async () => {
    const user = await registerUser(server);
    const payload = await login(server, user.username, undefined, { expiresInMinutes: 7 });
    const claims = jwtPayload(payload.accessToken);
    expect(claims.exp - claims.iat).toBe(7 * 60);
    expect(claims).toMatchObject({ sub: user.id, sid: payload.session.id, role: "USER", aud: "latchkey", iss: "http://localhost:4000" });
    expect(typeof claims.jti).toBe("string");
    expect(new Date(payload.accessTokenExpiresAt).getTime()).toBe(claims.exp * 1000);
    const header = JSON.parse(Buffer.from(payload.accessToken.split(".")[0], "base64url").toString());
    expect(header).toMatchObject({ alg: "EdDSA", kid: expect.any(String) });
  });

  it("uses ACCESS_TOKEN_TTL when no lifetime is asked for, and allows the configured maximum", async () => {
    const user = await registerUser(server);
    const byDefault = jwtPayload((await login(server, user.username)).accessToken);
    expect(byDefault.exp - byDefault.iat).toBe(15 * 60);
    const longest = jwtPayload((await login(server, user.username, undefined, { expiresInMinutes: 24 * 60 })).accessToken);
    expect(longest.exp - longest.iat).toBe(24 * 60 * 60);
  });

  it.each([0, -5, 24 * 60 + 1])("refuses expiresInMinutes %p as BAD_USER_INPUT", async (expiresInMinutes) => {
    const user = await registerUser(server);
    const { body } = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, expiresInMinutes } });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "expiresInMinutes" });
    expect(await server.app.database.prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("creates one session row per login and records lastLoginAt", async () => {
    const user = await registerUser(server);
    await login(server, user.username);
    await login(server, user.username);
    const prisma = server.app.database.prisma;
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(2);
    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.lastLoginAt).not.toBeNull();
  });

  it("stores the refresh token only as a hash", async () => {
    const user = await registerUser(server);
    const payload = await login(server, user.username);
    const rows = await server.app.database.prisma.refreshToken.findMany({ where: { sessionId: payload.session.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).not.toBe(payload.refreshToken);
    expect(rows[0].tokenHash).not.toContain(payload.refreshToken);
  });

  it("sets httpOnly SameSite=Strict cookies in cookie mode, and `me` accepts the access cookie", async () => {
    const user = await registerUser(server);
    const { headers, body } = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    expect(body.errors).toBeUndefined();
    const cookies = headers.getSetCookie();
    const access = cookies.find((c) => c.startsWith("lk_access="))!;
    const refresh = cookies.find((c) => c.startsWith("lk_refresh="))!;
    expect(access).toMatch(/Path=\/;/);
    expect(refresh).toMatch(/Path=\/graphql;/);
    for (const cookie of [access, refresh]) {
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Secure/);
    }
    const me = await server.gql(ME, {}, { headers: { cookie: access.split(";")[0] } });
    expect(me.body.data?.me.id).toBe(user.id);
  });

  it("sets no session cookies without cookie mode (only the device cookie, which grants nothing)", async () => {
    const user = await registerUser(server);
    const { headers } = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
    expect(headers.getSetCookie().map((cookie) => cookie.split("=")[0])).toEqual(["lk_device"]);
  });
});
