import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerVerifiedUser, uniqueName } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { createEndpoint } from "./support/webhooks";
import { SIGN_IN_WITH_MAGIC_LINK, queuedMagicToken, requestFromBrowser, requestUnbound } from "./support/magic-link";

// Nothing is delivered here: the deliveries written in each transaction are read back.
const ENV = { ...ADMIN_ENV, WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_INTERVAL: "1h", MAGIC_LINK_SIGNUP: "true" };

describe.each(testDatabases)("audit and webhook events of sign-in links on %s", (kind) => {
  let server: TestServer;
  let endpointId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ENV });
    const admin = await adminToken(server);
    endpointId = (await createEndpoint(server, admin, "http://127.0.0.1:9/hook", ["user.created", "session.created"])).id;
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  async function eventsFor(userId: string): Promise<Array<{ type: string; data: Record<string, any> }>> {
    const rows = await server.app.database.prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });
    return rows.map((row) => JSON.parse(row.payload)).filter((event) => event.data?.userId === userId);
  }
  const auditOf = (userId: string) =>
    server.app.database.prisma.auditEvent.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { type: true, metadata: true } });

  it("records the request, a refused other browser and the sign-in; session.created goes out, and no secret", async () => {
    const user = await registerVerifiedUser(server);
    const cookie = await requestFromBrowser(server, user.email);
    const token = (await queuedMagicToken(server, user.email))!;
    await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
    const { body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token }, { headers: { cookie } });
    const sessionId = body.data.signInWithMagicLink.session.id;

    const audit = await auditOf(user.id);
    const magic = audit.filter((event) => ["MAGIC_LINK_REQUESTED", "LOGIN_FAILED", "LOGIN_SUCCEEDED"].includes(event.type));
    expect(magic).toEqual([
      { type: "MAGIC_LINK_REQUESTED", metadata: { mailed: true, boundToBrowser: true } },
      { type: "LOGIN_FAILED", metadata: { method: "MAGIC_LINK", reason: "OTHER_BROWSER" } },
      { type: "LOGIN_SUCCEEDED", metadata: { method: "MAGIC_LINK", sessionId } },
    ]);
    const text = JSON.stringify(audit) + JSON.stringify(await eventsFor(user.id));
    expect(text).not.toContain(token);
    expect(text).not.toContain(cookie.split("=")[1]);

    const events = await eventsFor(user.id);
    expect(events.filter((event) => event.type === "session.created").map((event) => event.data)).toEqual([{ userId: user.id, sessionId }]);
  });

  it("a request for an unknown address is audited without naming anyone", async () => {
    const before = await server.app.database.prisma.auditEvent.count({ where: { type: "MAGIC_LINK_REQUESTED", userId: null } });
    await requestUnbound(server, `${uniqueName("ghost")}@example.com`);
    const rows = await server.app.database.prisma.auditEvent.findMany({ where: { type: "MAGIC_LINK_REQUESTED", userId: null }, orderBy: { createdAt: "desc" } });
    expect(rows).toHaveLength(before + 1);
    expect(JSON.stringify(rows[0].metadata)).not.toContain("ghost");
  });

  it("a sign-up by link sends user.created with method MAGIC_LINK, then session.created", async () => {
    const email = `${uniqueName("hooked")}@example.com`;
    await requestUnbound(server, email);
    const { body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: (await queuedMagicToken(server, email))! });
    const userId = body.data.signInWithMagicLink.user.id;
    const events = await eventsFor(userId);
    expect(events.map((event) => event.type)).toEqual(["user.created", "session.created"]);
    expect(events[0].data).toMatchObject({ method: "MAGIC_LINK", email, emailVerified: true });
  });
});
