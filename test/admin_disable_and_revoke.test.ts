import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, login, registerUser } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";

const SET_DISABLED = /* GraphQL */ `mutation ($userId: ID!, $disabled: Boolean!) { setUserDisabled(userId: $userId, disabled: $disabled) { id disabled } }`;
const REVOKE = /* GraphQL */ `mutation ($userId: ID!) { revokeUserSessions(userId: $userId) }`;

// Admin actions take effect on the user's very next request, not at token expiry.
describe.each(testDatabases)("disabling accounts and revoking sessions on %s", (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
    admin = await adminToken(server);
  });
  afterAll(() => server.stop());

  const meCode = async (token: string) => {
    const { body } = await server.gql(ME, {}, { token });
    return body.errors?.[0].extensions?.code ?? "OK";
  };
  const events = (userId: string, type: string) =>
    server.app.database.prisma.auditEvent.findMany({ where: { userId, type }, orderBy: { createdAt: "asc" } });

  it("makes a disabled user's current access tokens fail on the next request, and login then fails", async () => {
    const user = await registerUser(server);
    const first = await login(server, user.username);
    const second = await login(server, user.username);
    expect(await meCode(first.accessToken)).toBe("OK");

    const { body } = await server.gql(SET_DISABLED, { userId: user.id, disabled: true }, { token: admin });
    expect(body.data.setUserDisabled).toEqual({ id: user.id, disabled: true });
    expect(await meCode(first.accessToken)).toBe("UNAUTHENTICATED");
    expect(await meCode(second.accessToken)).toBe("UNAUTHENTICATED");
    const sessions = await server.app.database.prisma.session.findMany({ where: { userId: user.id } });
    expect(sessions.map((s) => s.revokedAt)).toEqual([expect.any(Date), expect.any(Date)]);

    const again = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
    expect(again.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DISABLED" });
    const [disabledEvent] = await events(user.id, "USER_DISABLED");
    expect(disabledEvent).toMatchObject({ metadata: { sessionsRevoked: 2 }, actorId: expect.any(String) });
    expect(disabledEvent.actorId).not.toBe(user.id);
  });

  it("lets a re-enabled user sign in again, recording USER_ENABLED", async () => {
    const user = await registerUser(server);
    await server.gql(SET_DISABLED, { userId: user.id, disabled: true }, { token: admin });
    const { body } = await server.gql(SET_DISABLED, { userId: user.id, disabled: false }, { token: admin });
    expect(body.data.setUserDisabled.disabled).toBe(false);
    const payload = await login(server, user.username);
    expect(await meCode(payload.accessToken)).toBe("OK");
    expect(await events(user.id, "USER_ENABLED")).toHaveLength(1);
  });

  it("revokes every session of a user, returns how many, and their tokens fail at once", async () => {
    const user = await registerUser(server);
    const tokens = [await login(server, user.username), await login(server, user.username), await login(server, user.username)];
    const { body } = await server.gql(REVOKE, { userId: user.id }, { token: admin });
    expect(body).toEqual({ data: { revokeUserSessions: 3 } });
    for (const t of tokens) expect(await meCode(t.accessToken)).toBe("UNAUTHENTICATED");
    const [event] = await events(user.id, "SESSION_REVOKED");
    expect(event.metadata).toMatchObject({ count: 3 });
    // The account itself still works: a new sign-in succeeds.
    expect(await meCode((await login(server, user.username)).accessToken)).toBe("OK");
    const again = await server.gql(REVOKE, { userId: user.id }, { token: admin });
    expect(again.body.data.revokeUserSessions).toBe(1);
  });
});
