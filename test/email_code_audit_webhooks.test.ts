import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { uniqueName } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { createEndpoint, eventsOfType, startWebhookReceiver, verifyWebhook, type WebhookReceiver } from "./support/webhooks";
import { requestCode, signInWithCode, userWithCode, wrongCode } from "./support/email-code";

describe.each(testDatabases)("audit trail and webhooks of e-mailed codes on %s", (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let endpoint: { id: string; secret: string };
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ...ADMIN_ENV, WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_INTERVAL: "1h" } });
    receiver = await startWebhookReceiver();
    endpoint = await createEndpoint(server, await adminToken(server), receiver.url, ["session.created"]);
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.stop();
  });

  const prisma = () => server.app.database.prisma;

  it("records the request, the wrong codes, the spent challenge and the sign-in, never the code or the token", async () => {
    const headers = { "user-agent": "email-code-audit-test" };
    const { user, challenge, code } = await userWithCode(server);
    const spent = await requestCode(server, user.email, headers);
    for (let i = 1; i <= 5; i++) await signInWithCode(server, spent.challengeToken, wrongCode(code, i));
    await signInWithCode(server, challenge.challengeToken, wrongCode(code, 9));
    const { body } = await signInWithCode(server, challenge.challengeToken, code);
    const sessionId = body.data.signInWithEmailCode.session.id;

    const events = await prisma().auditEvent.findMany({ where: { userId: user.id, type: { startsWith: "EMAIL_CODE" } }, orderBy: { id: "asc" } });
    const rows = await prisma().emailCodeChallenge.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    const [firstId, spentId] = rows.map((row) => row.id);
    expect(events.map((e) => [e.type, e.metadata])).toEqual([
      ["EMAIL_CODE_REQUESTED", { challengeId: firstId }],
      ["EMAIL_CODE_REQUESTED", { challengeId: spentId }],
      ["EMAIL_CODE_FAILED", { challengeId: spentId, attemptsLeft: 4 }],
      ["EMAIL_CODE_FAILED", { challengeId: spentId, attemptsLeft: 3 }],
      ["EMAIL_CODE_FAILED", { challengeId: spentId, attemptsLeft: 2 }],
      ["EMAIL_CODE_FAILED", { challengeId: spentId, attemptsLeft: 1 }],
      ["EMAIL_CODE_FAILED", { challengeId: spentId, attemptsLeft: 0 }],
      ["EMAIL_CODE_EXHAUSTED", { challengeId: spentId }],
      ["EMAIL_CODE_FAILED", { challengeId: firstId, attemptsLeft: 4 }],
    ]);
    expect(events[1].userAgent).toBe("email-code-audit-test");
    const succeeded = await prisma().auditEvent.findFirstOrThrow({ where: { userId: user.id, type: "LOGIN_SUCCEEDED" } });
    expect(succeeded.metadata).toMatchObject({ sessionId, method: "EMAIL_CODE", challengeId: firstId });

    const all = JSON.stringify(await prisma().auditEvent.findMany({ where: { userId: user.id } }));
    for (const secret of [code, challenge.challengeToken, spent.challengeToken]) expect(all).not.toContain(secret);
    // Nor anywhere in the server's log (stop() also scans it for every secret the tests sent).
    expect(server.log()).not.toContain(code);
  });

  it("records a request for an address without an account with no user, and naming no address", async () => {
    const email = `${uniqueName("nobody")}@example.com`;
    const before = await prisma().auditEvent.count({ where: { type: "EMAIL_CODE_REQUESTED", userId: null } });
    await requestCode(server, email);
    expect(await prisma().auditEvent.count({ where: { type: "EMAIL_CODE_REQUESTED", userId: null } })).toBe(before + 1);
    const latest = await prisma().auditEvent.findFirstOrThrow({ where: { type: "EMAIL_CODE_REQUESTED" }, orderBy: { id: "desc" } });
    expect(JSON.stringify(latest)).not.toContain(email);
  });

  it("sends session.created for a sign-in with a code, and nothing for requests and wrong codes", async () => {
    // What earlier tests' sign-ins queued goes out first.
    await server.app.services.webhooks.deliverer.runOnce();
    const deliveredBefore = eventsOfType(receiver, "session.created").length;
    expect(receiver.received.length).toBe(deliveredBefore);
    const { user, challenge, code } = await userWithCode(server);
    await signInWithCode(server, challenge.challengeToken, wrongCode(code));
    await server.app.services.webhooks.deliverer.runOnce();
    expect(receiver.received.length).toBe(deliveredBefore);

    const { body } = await signInWithCode(server, challenge.challengeToken, code);
    await server.app.services.webhooks.deliverer.runOnce();
    const created = eventsOfType(receiver, "session.created");
    expect(created).toHaveLength(deliveredBefore + 1);
    const event = verifyWebhook(endpoint.secret, created[created.length - 1]);
    expect(event.data).toEqual({ userId: user.id, sessionId: body.data.signInWithEmailCode.session.id });
    expect(created[created.length - 1].body).not.toContain(code);
  });
});
