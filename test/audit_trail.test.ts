import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, login, registerUser } from "./support/accounts";
import { ADMIN_ENV, AUDIT_LOG, adminToken, signedInAs } from "./support/admin";

const SET_ROLE = /* GraphQL */ `mutation ($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id role } }`;
const MY_ACTIVITY = /* GraphQL */ `
  query ($first: Int, $after: String) {
    myActivity(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id type userId actorId ip userAgent metadata createdAt } }
    }
  }
`;

interface EventNode {
  id: string;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: string | null;
  createdAt: string;
}

// Who did what, from where: every security-relevant event, readable by admins and by the user concerned.
describe.each(testDatabases)("audit trail on %s", (kind) => {
  let server: TestServer;
  let admin: string;
  let adminId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ...ADMIN_ENV, AUDIT_RETENTION: "30d" } });
    admin = await adminToken(server);
    adminId = (await server.app.database.prisma.user.findUniqueOrThrow({ where: { usernameNormalized: ADMIN_ENV.ADMIN_USERNAME } })).id;
  });
  afterAll(() => server.stop());

  const auditLog = async (filter: Record<string, unknown>, first = 50, after?: string) => {
    const { body } = await server.gql(AUDIT_LOG, { filter, first, after }, { token: admin });
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data.auditLog as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: EventNode }> };
  };
  const nodes = async (filter: Record<string, unknown>) => (await auditLog(filter)).edges.map((e) => e.node);

  it("shows LOGIN_FAILED, LOGIN_SUCCEEDED and ROLE_CHANGED with actor, ip and user agent", async () => {
    const user = await registerUser(server);
    const headers = { "user-agent": "audit-test-agent/1.0" };
    const failed = await server.gql(LOGIN, { input: { identifier: user.username, password: "not-the-password-123" } }, { headers });
    expect(failed.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } }, { headers });
    await server.gql(SET_ROLE, { userId: user.id, role: "MODERATOR" }, { token: admin, headers });

    const events = await nodes({ userId: user.id });
    expect(events.map((e) => e.type)).toEqual(["ROLE_CHANGED", "LOGIN_SUCCEEDED", "LOGIN_FAILED", "REGISTERED"]);
    const [roleChanged, succeeded, loginFailed] = events;
    for (const event of [roleChanged, succeeded, loginFailed]) {
      expect(event.ip).toMatch(/127\.0\.0\.1|::1/);
      expect(event.userAgent).toBe("audit-test-agent/1.0");
      expect(event.userId).toBe(user.id);
    }
    expect(roleChanged.actorId).toBe(adminId);
    expect(JSON.parse(roleChanged.metadata!)).toEqual({ from: "USER", to: "MODERATOR" });
    expect(succeeded.actorId).toBe(user.id);
    expect(JSON.parse(loginFailed.metadata!)).toEqual({ reason: "WRONG_PASSWORD", identifier: user.username });
  });

  it("records the identifier of a failed login for an unknown account, never the password", async () => {
    const password = "secret-guess-password-99";
    await server.gql(LOGIN, { input: { identifier: "nobody_here@example.com", password } });
    const [event] = await nodes({ type: "LOGIN_FAILED" });
    expect(event.userId).toBeNull();
    expect(JSON.parse(event.metadata!)).toEqual({ reason: "UNKNOWN_ACCOUNT", identifier: "nobody_here@example.com" });
    const rows = await server.app.database.prisma.auditEvent.findMany();
    expect(JSON.stringify(rows)).not.toContain(password);
  });

  it("filters by type, user and time, and pages newest first without repeats", async () => {
    const user = await registerUser(server);
    server.clock.advance(1000);
    const start = server.clock.now();
    // Four failures: below the sign-in lockout threshold, so each one is a LOGIN_FAILED.
    for (let i = 0; i < 4; i++) await server.gql(LOGIN, { input: { identifier: user.username, password: `wrong-password-${i}-xyz` } });
    const all = await auditLog({ userId: user.id, type: "LOGIN_FAILED" }, 3);
    expect(all.totalCount).toBe(4);
    const seen: EventNode[] = all.edges.map((e) => e.node);
    let page = all;
    while (page.pageInfo.hasNextPage) {
      page = await auditLog({ userId: user.id, type: "LOGIN_FAILED" }, 3, page.pageInfo.endCursor);
      seen.push(...page.edges.map((e) => e.node));
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((e) => e.id)).size).toBe(4);
    expect(JSON.parse(seen[0].metadata!).identifier).toBe(user.username);
    const times = seen.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    expect((await auditLog({ userId: user.id, after: start.toISOString() })).totalCount).toBe(4);
    expect((await auditLog({ userId: user.id, before: start.toISOString() })).edges.map((e) => e.node.type)).toEqual(["REGISTERED"]);
  });

  it("shows a user their own events only in myActivity", async () => {
    const me = await registerUser(server);
    const other = await registerUser(server);
    await server.gql(LOGIN, { input: { identifier: other.username, password: "wrong-password-for-other" } });
    const { accessToken } = await login(server, me.username);
    const { body } = await server.gql(MY_ACTIVITY, { first: 10 }, { token: accessToken });
    const mine = body.data.myActivity;
    expect(mine.edges.map((e: { node: EventNode }) => e.node.type)).toEqual(["LOGIN_SUCCEEDED", "REGISTERED"]);
    expect(mine.edges.every((e: { node: EventNode }) => e.node.userId === me.id)).toBe(true);
    expect(mine.totalCount).toBe(2);

    const firstPage = await server.gql(MY_ACTIVITY, { first: 1 }, { token: accessToken });
    const next = await server.gql(MY_ACTIVITY, { first: 1, after: firstPage.body.data.myActivity.pageInfo.endCursor }, { token: accessToken });
    expect(next.body.data.myActivity.edges[0].node.type).toBe("REGISTERED");
    const anonymous = await server.gql(MY_ACTIVITY, {});
    expect(anonymous.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses auditLog to a MODERATOR and validates first", async () => {
    const { token } = await signedInAs(server, "MODERATOR");
    const { body } = await server.gql(AUDIT_LOG, {}, { token });
    expect(body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const tooMany = await server.gql(AUDIT_LOG, { first: 101 }, { token: admin });
    expect(tooMany.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });

  it("prunes events older than AUDIT_RETENTION and keeps the rest", async () => {
    const user = await registerUser(server);
    const before = await server.app.database.prisma.auditEvent.count({ where: { userId: user.id } });
    expect(before).toBe(1);
    server.clock.advance(20 * 86_400_000);
    await login(server, user.username);
    expect(await server.app.services.auditRetention.prune()).toBe(0);
    server.clock.advance(11 * 86_400_000);
    // Everything from the first 11 days is now older than 30 days: registration goes, the login stays.
    expect(await server.app.services.auditRetention.prune()).toBeGreaterThanOrEqual(1);
    const left = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id } });
    expect(left.map((e) => e.type)).toEqual(["LOGIN_SUCCEEDED"]);
    expect(await server.app.services.auditRetention.prune()).toBe(0);
  });
});
