import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME, adminToken, signedInAs } from "./support/admin";
import { STRONG_PASSWORD } from "./support/accounts";

const SET_ROLE = /* GraphQL */ `mutation ($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id role } }`;
const DELETE_ACCOUNT = /* GraphQL */ `mutation ($password: String!) { deleteAccount(password: $password) }`;
const SET_DISABLED = /* GraphQL */ `mutation ($userId: ID!, $disabled: Boolean!) { setUserDisabled(userId: $userId, disabled: $disabled) { id disabled } }`;

// There is always at least one active ADMIN, even when admins demote each other at the same moment.
describe.each(testDatabases)("the last ADMIN on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
  });
  afterAll(() => server.stop());

  const prisma = () => server.app.database.prisma;
  const activeAdmins = () => prisma().user.count({ where: { role: "ADMIN", disabled: false, deletedAt: null } });
  const rootId = async () => (await prisma().user.findUniqueOrThrow({ where: { usernameNormalized: ADMIN_USERNAME } })).id;

  it("cannot be demoted or disabled, not even by itself", async () => {
    expect(await activeAdmins()).toBe(1);
    const token = await adminToken(server);
    const id = await rootId();
    for (const role of ["USER", "MODERATOR"]) {
      const { body } = await server.gql(SET_ROLE, { userId: id, role }, { token });
      expect(body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "role" });
    }
    const { body } = await server.gql(SET_DISABLED, { userId: id, disabled: true }, { token });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "disabled" });
    expect(await prisma().user.findUniqueOrThrow({ where: { id } })).toMatchObject({ role: "ADMIN", disabled: false });
    expect(await prisma().auditEvent.count({ where: { userId: id, type: { in: ["ROLE_CHANGED", "USER_DISABLED"] } } })).toBe(0);
  });

  it("can be demoted once another active ADMIN exists; a disabled ADMIN does not count", async () => {
    const root = await adminToken(server);
    const second = await signedInAs(server, "ADMIN");
    await server.gql(SET_DISABLED, { userId: second.user.id, disabled: true }, { token: root });
    const refused = await server.gql(SET_ROLE, { userId: await rootId(), role: "USER" }, { token: root });
    expect(refused.body.errors?.[0].extensions?.code).toBe("CONFLICT");

    await server.gql(SET_DISABLED, { userId: second.user.id, disabled: false }, { token: root });
    const demoted = await server.gql(SET_ROLE, { userId: second.user.id, role: "USER" }, { token: root });
    expect(demoted.body.data.setUserRole.role).toBe("USER");
    expect(await activeAdmins()).toBe(1);
  });

  it("keeps one ADMIN when two admins demote each other at the same time", async () => {
    for (let round = 0; round < 3; round++) {
      const a = await signedInAs(server, "ADMIN");
      const b = await signedInAs(server, "ADMIN");
      // Demote the bootstrap admin first so a and b are the only two.
      await prisma().user.update({ where: { id: await rootId() }, data: { role: "USER" } });
      expect(await activeAdmins()).toBe(2);
      const [ab, ba] = await Promise.all([
        server.gql(SET_ROLE, { userId: b.user.id, role: "USER" }, { token: a.token }),
        server.gql(SET_ROLE, { userId: a.user.id, role: "USER" }, { token: b.token }),
      ]);
      const outcomes = [ab, ba].map((r) => r.body.errors?.[0].extensions?.code ?? "OK");
      expect(await activeAdmins()).toBe(1);
      // One succeeded; the other lost the race (CONFLICT) or was already no ADMIN when it ran (FORBIDDEN).
      expect(outcomes.filter((o) => o === "OK")).toHaveLength(1);
      expect(outcomes.find((o) => o !== "OK")).toMatch(/^(CONFLICT|FORBIDDEN)$/);
      await prisma().user.updateMany({ where: { id: { in: [a.user.id, b.user.id] } }, data: { role: "USER" } });
      await prisma().user.update({ where: { id: await rootId() }, data: { role: "ADMIN" } });
    }
  });

  it("keeps one ADMIN when two admins disable each other at the same time", async () => {
    const a = await signedInAs(server, "ADMIN");
    const b = await signedInAs(server, "ADMIN");
    await prisma().user.update({ where: { id: await rootId() }, data: { role: "USER" } });
    await Promise.all([
      server.gql(SET_DISABLED, { userId: b.user.id, disabled: true }, { token: a.token }),
      server.gql(SET_DISABLED, { userId: a.user.id, disabled: true }, { token: b.token }),
    ]);
    expect(await activeAdmins()).toBe(1);
    await prisma().user.update({ where: { id: await rootId() }, data: { role: "ADMIN" } });
  });

  it("cannot delete its own account (CONFLICT); another ADMIN's presence allows it", async () => {
    const token = await adminToken(server);
    const id = await rootId();
    // The admins earlier tests left behind step down: the bootstrap ADMIN is the only one.
    await prisma().user.updateMany({ where: { role: "ADMIN", id: { not: id } }, data: { role: "USER" } });
    expect(await activeAdmins()).toBe(1);
    const refused = await server.gql(DELETE_ACCOUNT, { password: ADMIN_PASSWORD }, { token });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", reason: "LAST_ADMIN" });
    expect(await prisma().user.findUniqueOrThrow({ where: { id } })).toMatchObject({ role: "ADMIN", deletedAt: null });
    expect(await prisma().auditEvent.count({ where: { userId: id, type: "ACCOUNT_DELETED" } })).toBe(0);
    expect((await server.gql(`query { me { id } }`, {}, { token })).body.data?.me.id).toBe(id);

    // A wrong password is still just a wrong password.
    const wrong = await server.gql(DELETE_ACCOUNT, { password: "not-the-admin-password" }, { token });
    expect(wrong.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });

    const other = await signedInAs(server, "ADMIN");
    const deleted = await server.gql(DELETE_ACCOUNT, { password: STRONG_PASSWORD }, { token: other.token });
    expect(deleted.body).toEqual({ data: { deleteAccount: true } });
    expect(await activeAdmins()).toBe(1);
  });

  it("keeps one ADMIN when the last two delete their own accounts at the same time", async () => {
    for (let round = 0; round < 3; round++) {
      const a = await signedInAs(server, "ADMIN");
      const b = await signedInAs(server, "ADMIN");
      await prisma().user.update({ where: { id: await rootId() }, data: { role: "USER" } });
      expect(await activeAdmins()).toBe(2);
      const results = await Promise.all([a, b].map((admin) => server.gql(DELETE_ACCOUNT, { password: STRONG_PASSWORD }, { token: admin.token })));
      const outcomes = results.map((r) => r.body.errors?.[0].extensions?.code ?? "OK");
      expect(outcomes.sort()).toEqual(["CONFLICT", "OK"]);
      expect(await activeAdmins()).toBe(1);
      await prisma().user.updateMany({ where: { id: { in: [a.user.id, b.user.id] }, deletedAt: null }, data: { role: "USER" } });
      await prisma().user.update({ where: { id: await rootId() }, data: { role: "ADMIN" } });
    }
  });
});
