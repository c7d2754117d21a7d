import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { MY_SESSIONS, REFRESH, isAccepted, login, registerUser } from "./support/accounts";

describe.each(testDatabases)("logout and session revocation on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("makes the very access token that logged out fail on the next request", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    expect(await isAccepted(server, session.accessToken)).toBe(true);
    const { body } = await server.gql("mutation { logout }", {}, { token: session.accessToken });
    expect(body).toEqual({ data: { logout: true } });
    expect(await isAccepted(server, session.accessToken)).toBe(false);
    const jti = JSON.parse(Buffer.from(session.accessToken.split(".")[1], "base64url").toString()).jti;
    expect(await server.app.database.prisma.revokedToken.count({ where: { jti } })).toBe(1);
  });

  it("kills the logged-out session's refresh token too, and leaves other sessions alone", async () => {
    const user = await registerUser(server);
    const first = await login(server, user.username);
    const second = await login(server, user.username);
    await server.gql("mutation { logout }", {}, { token: first.accessToken });
    const refresh = await server.gql(REFRESH, { token: first.refreshToken });
    expect(refresh.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(await isAccepted(server, second.accessToken)).toBe(true);
  });

  it("logoutAllSessions revokes every session, the current one too, and counts them", async () => {
    const user = await registerUser(server);
    const sessions = [await login(server, user.username), await login(server, user.username), await login(server, user.username)];
    const { body } = await server.gql("mutation { logoutAllSessions }", {}, { token: sessions[0].accessToken });
    expect(body).toEqual({ data: { logoutAllSessions: 3 } });
    for (const session of sessions) expect(await isAccepted(server, session.accessToken)).toBe(false);
  });

  it("lists the live sessions with the current one marked, and revokes one of them", async () => {
    const user = await registerUser(server);
    const a = await login(server, user.username);
    const b = await login(server, user.username);
    const listed = await server.gql(MY_SESSIONS, {}, { token: a.accessToken });
    const byId = new Map(listed.body.data.mySessions.map((s: any) => [s.id, s]));
    expect(byId.size).toBe(2);
    expect(byId.get(a.session.id)).toMatchObject({ current: true, ip: expect.any(String) });
    expect(byId.get(b.session.id)).toMatchObject({ current: false });

    const revoked = await server.gql(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: b.session.id }, { token: a.accessToken });
    expect(revoked.body).toEqual({ data: { revokeSession: true } });
    expect(await isAccepted(server, b.accessToken)).toBe(false);
    expect(await isAccepted(server, a.accessToken)).toBe(true);
    const after = await server.gql(MY_SESSIONS, {}, { token: a.accessToken });
    expect(after.body.data.mySessions.map((s: any) => s.id)).toEqual([a.session.id]);
  });

  it("will not revoke another user's session, and does not say it exists", async () => {
    const alice = await registerUser(server);
    const bob = await registerUser(server);
    const aliceSession = await login(server, alice.username);
    const bobSession = await login(server, bob.username);
    const attempt = await server.gql(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: bobSession.session.id }, { token: aliceSession.accessToken });
    expect(attempt.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    const unknown = await server.gql(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: "no-such-session" }, { token: aliceSession.accessToken });
    expect(unknown.body.errors?.[0]).toEqual({ ...attempt.body.errors?.[0] });
    expect(await isAccepted(server, bobSession.accessToken)).toBe(true);
  });

  it("asks for a signed-in caller", async () => {
    for (const operation of ["mutation { logout }", "mutation { logoutAllSessions }", "{ mySessions { id } }"]) {
      const { body } = await server.gql(operation);
      expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("records LOGOUT and SESSION_REVOKED in the audit trail", async () => {
    const user = await registerUser(server);
    const a = await login(server, user.username);
    const b = await login(server, user.username);
    await server.gql(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: b.session.id }, { token: a.accessToken });
    await server.gql("mutation { logout }", {}, { token: a.accessToken });
    const types = (await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["SESSION_REVOKED", "LOGOUT"]));
  });
});
