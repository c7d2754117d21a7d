import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { STRONG_PASSWORD, login, registerUser, uniqueName } from "./support/accounts";
import { ADMIN_ENV, ADMIN_USERNAME, adminToken } from "./support/admin";
import { createEndpoint } from "./support/webhooks";

// Nothing is delivered here: the deliveries written in each admin action's transaction are read back.
const WEBHOOK_ENV = { ...ADMIN_ENV, WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_INTERVAL: "1h" };

// A receiver learns of every support action, and that an ADMIN (which one) did it.
describe.each(testDatabases)("webhook events of admin support actions on %s", (kind) => {
  let server: TestServer;
  let admin: string;
  let adminId: string;
  let endpointId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: WEBHOOK_ENV });
    admin = await adminToken(server);
    adminId = (await server.app.database.prisma.user.findUniqueOrThrow({ where: { usernameNormalized: ADMIN_USERNAME } })).id;
    endpointId = (
      await createEndpoint(server, admin, "http://127.0.0.1:9/hook", ["user.created", "user.updated", "user.deleted", "user.disabled", "user.email_changed", "session.revoked"])
    ).id;
  });
  afterAll(() => server.stop());

  /** The events written for `userId`, oldest first, as a receiver would get them. */
  async function eventsFor(userId: string): Promise<Array<{ type: string; data: Record<string, any> }>> {
    const rows = await server.app.database.prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });
    return rows.map((row) => JSON.parse(row.payload)).filter((event) => event.data?.userId === userId);
  }

  it("names the ADMIN as actor for creation, update, address change, ban, session revocation and deletion", async () => {
    const username = uniqueName("hooked");
    const created = await server.gql(
      `mutation ($input: AdminCreateUserInput!) { createUser(input: $input) { id } }`,
      { input: { username, email: `${username}@example.com`, password: STRONG_PASSWORD } },
      { token: admin },
    );
    const userId = created.body.data.createUser.id;
    const session = await login(server, username);
    await server.gql(`mutation ($id: ID!) { updateUser(userId: $id, input: { name: "Hook", email: "moved-${username}@example.com" }) { id } }`, { id: userId }, { token: admin });
    await server.gql(`mutation ($id: ID!, $sid: ID!) { revokeUserSession(userId: $id, sessionId: $sid) }`, { id: userId, sid: session.session.id }, { token: admin });
    const until = new Date(server.clock.now().getTime() + 3_600_000).toISOString();
    await server.gql(`mutation ($id: ID!, $until: DateTime) { setUserDisabled(userId: $id, disabled: true, reason: "r", until: $until) { id } }`, { id: userId, until }, { token: admin });
    await server.gql(`mutation ($id: ID!) { deleteUser(userId: $id) }`, { id: userId }, { token: admin });

    const events = await eventsFor(userId);
    // One event of each kind (the address change writes two in one transaction, in no set order).
    expect(events.map((event) => event.type).sort()).toEqual(["session.revoked", "user.created", "user.deleted", "user.disabled", "user.email_changed", "user.updated"]);
    const of = (type: string) => events.find((event) => event.type === type)!.data;
    expect(of("user.created")).toMatchObject({ method: "ADMIN", actorId: adminId, username });
    expect(of("user.email_changed")).toMatchObject({ actorId: adminId });
    expect(of("user.updated")).toMatchObject({ actorId: adminId, changedFields: expect.arrayContaining(["email", "name"]) });
    expect(of("session.revoked")).toMatchObject({ actorId: adminId, sessionId: session.session.id, reason: "REVOKED_BY_ADMIN" });
    expect(of("user.disabled")).toMatchObject({ actorId: adminId, until });
    // The ban's reason is a note for the staff: it does not leave the system.
    expect(JSON.stringify(of("user.disabled"))).not.toContain('"r"');
    expect(of("user.deleted")).toMatchObject({ actorId: adminId });
  });

  it("keeps sign-up's own events without an actor", async () => {
    const user = await registerUser(server);
    const [created] = await eventsFor(user.id);
    expect(created).toMatchObject({ type: "user.created", data: { method: "PASSWORD" } });
    expect(created.data.actorId).toBeUndefined();
  });
});
