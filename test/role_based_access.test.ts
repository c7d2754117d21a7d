import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, registerUser } from "./support/accounts";
import { ADMIN_ENV, AUDIT_LOG, SEARCH_USERS, adminToken, signedInAs } from "./support/admin";

const USER = /* GraphQL */ `query ($id: ID!) { user(id: $id) { id username email role } }`;
const SET_ROLE = /* GraphQL */ `mutation ($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id role } }`;
const SET_DISABLED = /* GraphQL */ `mutation ($userId: ID!, $disabled: Boolean!) { setUserDisabled(userId: $userId, disabled: $disabled) { id disabled } }`;
const REVOKE = /* GraphQL */ `mutation ($userId: ID!) { revokeUserSessions(userId: $userId) }`;

// Roles USER < MODERATOR < ADMIN, decided from the database on every request.
describe.each(testDatabases)("role-based access on %s", (kind) => {
  let server: TestServer;
  let subjectId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
    subjectId = (await registerUser(server)).id;
  });
  afterAll(() => server.stop());

  const operations = () => [
    { name: "searchUsers", query: SEARCH_USERS, variables: {} },
    { name: "user", query: USER, variables: { id: subjectId } },
    { name: "auditLog", query: AUDIT_LOG, variables: {} },
    { name: "setUserRole", query: SET_ROLE, variables: { userId: subjectId, role: "MODERATOR" } },
    { name: "setUserDisabled", query: SET_DISABLED, variables: { userId: subjectId, disabled: true } },
    { name: "revokeUserSessions", query: REVOKE, variables: { userId: subjectId } },
  ];

  const codeOf = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const { body } = await server.gql(query, variables, { token });
    return body.errors?.[0]?.extensions?.code ?? "OK";
  };

  it("answers UNAUTHENTICATED to every admin operation without a token", async () => {
    for (const op of operations()) expect([op.name, await codeOf(op.query, op.variables)]).toEqual([op.name, "UNAUTHENTICATED"]);
  });

  it("answers FORBIDDEN to a USER for searchUsers, user, auditLog and the admin mutations, and changes nothing", async () => {
    const { token } = await signedInAs(server, "USER");
    for (const op of operations()) expect([op.name, await codeOf(op.query, op.variables, token)]).toEqual([op.name, "FORBIDDEN"]);
    const subject = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: subjectId } });
    expect(subject).toMatchObject({ role: "USER", disabled: false });
  });

  it("lets a MODERATOR search and read users (with e-mail) but not change roles, disable, revoke or read the audit log", async () => {
    const { token } = await signedInAs(server, "MODERATOR");
    const found = await server.gql(USER, { id: subjectId }, { token });
    expect(found.body.data.user).toMatchObject({ id: subjectId, email: expect.stringContaining("@example.com") });
    const search = await server.gql(SEARCH_USERS, { first: 5 }, { token });
    expect(search.body.errors).toBeUndefined();
    expect(search.body.data.searchUsers.totalCount).toBeGreaterThan(0);
    for (const name of ["auditLog", "setUserRole", "setUserDisabled", "revokeUserSessions"]) {
      const op = operations().find((o) => o.name === name)!;
      expect([name, await codeOf(op.query, op.variables, token)]).toEqual([name, "FORBIDDEN"]);
    }
  });

  it("lets an ADMIN do all of it", async () => {
    const token = await adminToken(server);
    const target = await registerUser(server);
    expect(await codeOf(SEARCH_USERS, {}, token)).toBe("OK");
    expect(await codeOf(USER, { id: target.id }, token)).toBe("OK");
    expect(await codeOf(AUDIT_LOG, {}, token)).toBe("OK");
    const role = await server.gql(SET_ROLE, { userId: target.id, role: "MODERATOR" }, { token });
    expect(role.body.data.setUserRole).toEqual({ id: target.id, role: "MODERATOR" });
    const revoked = await server.gql(REVOKE, { userId: target.id }, { token });
    expect(revoked.body.data.revokeUserSessions).toBe(0);
    const disabled = await server.gql(SET_DISABLED, { userId: target.id, disabled: true }, { token });
    expect(disabled.body.data.setUserDisabled).toEqual({ id: target.id, disabled: true });
  });

  it("applies a demotion on the next request, whatever role the still-valid token claims", async () => {
    const { user, token } = await signedInAs(server, "ADMIN");
    expect(await codeOf(AUDIT_LOG, {}, token)).toBe("OK");
    const admin = await adminToken(server);
    await server.gql(SET_ROLE, { userId: user.id, role: "USER" }, { token: admin });
    expect(await codeOf(AUDIT_LOG, {}, token)).toBe("FORBIDDEN");
    expect(await codeOf(SEARCH_USERS, {}, token)).toBe("FORBIDDEN");
    const me = await server.gql(ME, {}, { token });
    expect(me.body.data.me.role).toBe("USER");
  });

  it("shows a user's e-mail to MODERATOR and ADMIN in search results", async () => {
    const { token } = await signedInAs(server, "MODERATOR");
    const target = await registerUser(server);
    const { body } = await server.gql(SEARCH_USERS, { filter: { query: target.username } }, { token });
    expect(body.data.searchUsers.edges.map((e: any) => e.node)).toEqual([expect.objectContaining({ id: target.id, email: target.email })]);
  });

  it("answers null for an unknown or deleted user id", async () => {
    const token = await adminToken(server);
    const gone = await registerUser(server);
    await server.app.database.prisma.user.update({ where: { id: gone.id }, data: { deletedAt: new Date() } });
    for (const id of [gone.id, "0190b6a2-0000-7000-8000-000000000000", "not-a-uuid"]) {
      const { body } = await server.gql(USER, { id }, { token });
      expect(body).toEqual({ data: { user: null } });
    }
  });

  it("answers NOT_FOUND when an admin mutation names no live account", async () => {
    const token = await adminToken(server);
    for (const [query, variables] of [
      [SET_ROLE, { userId: "0190b6a2-0000-7000-8000-000000000000", role: "ADMIN" }],
      [SET_DISABLED, { userId: "0190b6a2-0000-7000-8000-000000000000", disabled: true }],
      [REVOKE, { userId: "0190b6a2-0000-7000-8000-000000000000" }],
    ] as const) {
      expect(await codeOf(query, variables, token)).toBe("NOT_FOUND");
    }
  });
});
