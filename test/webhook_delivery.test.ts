import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { WebhookVerificationError } from "standardwebhooks";
import { startTestServer, type TestServer } from "./support/test-server";
import { createPostgresDatabase, testDatabases } from "./support/databases";
import { login, registerUser } from "./support/accounts";
import { ADMIN_ENV, adminToken, signedInAs } from "./support/admin";
import { freePort } from "./support/ports";
import { CREATE_ENDPOINT, DELIVERIES, createEndpoint, eventsOfType, startWebhookReceiver, verifyWebhook, type WebhookReceiver } from "./support/webhooks";
import { SecretBox } from "../src/common/secret-box";
import { WebhookDeliverer, webhookRetryDelayMs } from "../src/webhooks/webhook-deliverer";
import { WebhookUrlGuard } from "../src/webhooks/webhook-url-guard";
import { WebhookDeliveryStore } from "../src/webhooks/webhook-delivery.store";
import { WebhookEndpointStore } from "../src/webhooks/webhook-endpoint.store";

// The background deliverer polls hourly here: tests drive passes themselves.
const WEBHOOK_ENV = { ...ADMIN_ENV, WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_INTERVAL: "1h", WEBHOOK_TIMEOUT: "500ms" };

describe.each(testDatabases)("outbound webhooks on %s", (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: WEBHOOK_ENV });
    receiver = await startWebhookReceiver();
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.stop();
  });

  const deliverer = () => server.app.services.webhooks.deliverer;
  const prisma = () => server.app.database.prisma;

  let endpoint: { id: string; secret: string };

  it("signs user.created after sign-up and session.revoked after logout so that standardwebhooks verifies them", async () => {
    endpoint = await createEndpoint(server, admin, receiver.url, ["user.created", "session.revoked"]);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // Stored encrypted only.
    const row = await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row.secretEncrypted).not.toContain(endpoint.secret.slice(6));

    const user = await registerUser(server);
    const signedIn = await login(server, user.username);
    expect((await server.gql(`mutation { logout }`, {}, { token: signedIn.accessToken })).body).toEqual({ data: { logout: true } });
    // Written in the transactions of sign-up and logout, delivered only by the worker.
    expect(receiver.received).toHaveLength(0);
    expect(await deliverer().drain()).toMatchObject({ delivered: 2, retrying: 0, failed: 0 });

    for (const delivery of receiver.received) expect(() => verifyWebhook(endpoint.secret, delivery)).not.toThrow();
    const [created] = eventsOfType(receiver, "user.created");
    expect(verifyWebhook(endpoint.secret, created)).toEqual({
      type: "user.created",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { userId: user.id, username: user.username, email: user.email, emailVerified: false, role: "USER", createdAt: expect.any(String), method: "PASSWORD" },
    });
    const [revoked] = eventsOfType(receiver, "session.revoked");
    expect(verifyWebhook(endpoint.secret, revoked).data).toEqual({ userId: user.id, sessionId: signedIn.session.id, reason: "LOGOUT" });
    // Not subscribed: no session.created.
    expect(eventsOfType(receiver, "session.created")).toHaveLength(0);
    expect(created.headers["webhook-id"]).toMatch(/^msg_/);
    expect(created.headers["content-type"]).toBe("application/json");
    for (const delivery of receiver.received) {
      expect(delivery.body).not.toContain(user.password);
      expect(delivery.body).not.toMatch(/argon2|\$2[aby]\$|whsec_|secretPasskey|accessToken|refreshToken/);
    }

    const { body } = await server.gql(DELIVERIES, { endpointId: endpoint.id }, { token: admin });
    expect(body.data.webhookDeliveries.totalCount).toBe(2);
    for (const { node } of body.data.webhookDeliveries.edges) {
      expect(node).toMatchObject({ status: "DELIVERED", attempts: 1, lastError: null, deliveredAt: expect.any(String) });
    }
  });

  it("fails verification of a tampered body, a replayed header set on another body, and a wrong secret", async () => {
    const [created] = eventsOfType(receiver, "user.created");
    const tampered = { ...created, body: created.body.replace(/"role":"USER"/, '"role":"ADMIN"') };
    expect(tampered.body).not.toBe(created.body);
    expect(() => verifyWebhook(endpoint.secret, tampered)).toThrow(WebhookVerificationError);
    const [revoked] = eventsOfType(receiver, "session.revoked");
    expect(() => verifyWebhook(endpoint.secret, { headers: created.headers, body: revoked.body })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`, created)).toThrow(WebhookVerificationError);
  });

  it("signs deliveries made after rotateWebhookSecret with the new secret only", async () => {
    const { body } = await server.gql(`mutation R($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id } } }`, { id: endpoint.id }, { token: admin });
    const rotated = body.data.rotateWebhookSecret.secret as string;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(endpoint.secret);

    const user = await registerUser(server);
    await deliverer().drain();
    const delivery = eventsOfType(receiver, "user.created").find((d) => d.event.data.userId === user.id)!;
    expect(verifyWebhook(rotated, delivery).data.userId).toBe(user.id);
    expect(() => verifyWebhook(endpoint.secret, delivery)).toThrow(WebhookVerificationError);
    endpoint.secret = rotated;
  });

  it("redelivers an event with the same webhook-id and body, and lets an ADMIN change and delete endpoints", async () => {
    const first = (await server.gql(DELIVERIES, { endpointId: endpoint.id, first: 1 }, { token: admin })).body.data.webhookDeliveries;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await server.gql(DELIVERIES, { endpointId: endpoint.id, first: 1, after: first.pageInfo.endCursor }, { token: admin })).body.data
      .webhookDeliveries;
    expect(second.edges[0].node.id).not.toBe(first.edges[0].node.id);

    const original = await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: first.edges[0].node.id } });
    const { body } = await server.gql(`mutation R($id: ID!) { redeliverWebhook(deliveryId: $id) { id eventType status attempts deliveredAt } }`, { id: original.id }, { token: admin });
    expect(body.data.redeliverWebhook).toMatchObject({ eventType: original.eventType, status: "PENDING", attempts: 0, deliveredAt: null });
    const before = receiver.received.length;
    expect((await deliverer().drain()).delivered).toBe(1);
    const again = receiver.received.slice(before);
    expect(again).toHaveLength(1);
    expect(again[0].headers["webhook-id"]).toBe(original.eventId);
    expect(again[0].body).toBe(original.payload);
    verifyWebhook(endpoint.secret, again[0]);

    const other = await createEndpoint(server, admin, receiver.url, ["user.updated"]);
    const updated = await server.gql(
      `mutation U($id: ID!) { updateWebhookEndpoint(id: $id, events: ["user.deleted", "password.changed"], enabled: false) { id events enabled } }`,
      { id: other.id },
      { token: admin },
    );
    expect(updated.body.data.updateWebhookEndpoint).toEqual({ id: other.id, events: ["user.deleted", "password.changed"], enabled: false });
    const unknown = await server.gql(`mutation U($id: ID!) { updateWebhookEndpoint(id: $id, events: ["user.exploded"]) { id } }`, { id: other.id }, { token: admin });
    expect(unknown.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "events" });
    const listed = await server.gql(`{ webhookEndpoints { id url events enabled createdAt } }`, {}, { token: admin });
    expect(listed.body.data.webhookEndpoints.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([endpoint.id, other.id]));
    expect(JSON.stringify(listed.body)).not.toContain("whsec_");
    expect((await server.gql(`mutation D($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: other.id }, { token: admin })).body).toEqual({
      data: { deleteWebhookEndpoint: true },
    });
    const gone = await server.gql(`mutation D($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: other.id }, { token: admin });
    expect(gone.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    const audited = await prisma().auditEvent.findMany({ where: { type: { startsWith: "WEBHOOK_" } }, select: { type: true } });
    expect(audited.map((a) => a.type)).toEqual(
      expect.arrayContaining(["WEBHOOK_ENDPOINT_CREATED", "WEBHOOK_SECRET_ROTATED", "WEBHOOK_REDELIVERY_REQUESTED", "WEBHOOK_ENDPOINT_UPDATED", "WEBHOOK_ENDPOINT_DELETED"]),
    );
  });

  it("sends the other account events with ids and changed field names, never values of secrets", async () => {
    const all = await createEndpoint(server, admin, receiver.url, ["user.updated", "user.role_changed", "user.disabled", "password.changed", "user.deleted"]);
    const user = await registerUser(server);
    let { accessToken } = await login(server, user.username);
    const ok = async (query: string, variables: Record<string, unknown>, token: string) => {
      const { body } = await server.gql(query, variables, { token });
      expect(body.errors).toBeUndefined();
    };
    await ok(`mutation { updateProfile(input: { name: "Ada", occupation: "Analyst" }) { id } }`, {}, accessToken);
    await ok(`mutation R($id: ID!) { setUserRole(userId: $id, role: MODERATOR) { id } }`, { id: user.id }, admin);
    await ok(`mutation D($id: ID!) { setUserDisabled(userId: $id, disabled: true) { id } }`, { id: user.id }, admin);
    await ok(`mutation D($id: ID!) { setUserDisabled(userId: $id, disabled: false) { id } }`, { id: user.id }, admin);
    accessToken = (await login(server, user.username)).accessToken;
    const newPassword = "orchid-meridian-beacon-77";
    await ok(`mutation C($input: ChangePasswordInput!) { changePassword(input: $input) }`, { input: { currentPassword: user.password, newPassword } }, accessToken);
    await ok(`mutation X($p: String!) { deleteAccount(password: $p) }`, { p: newPassword }, accessToken);
    await deliverer().drain();

    // Only this endpoint subscribed to these types; every one verifies with its secret.
    const mine = receiver.received
      .filter((d) => JSON.parse(d.body).data.userId === user.id && !["user.created", "session.revoked"].includes(JSON.parse(d.body).type))
      .map((d) => verifyWebhook(all.secret, d));
    // Deliveries are concurrent: order is not promised (the payload's timestamp is).
    expect(mine).toHaveLength(6);
    expect(mine.map((event) => [event.type, event.data])).toEqual(expect.arrayContaining([
      ["user.updated", { userId: user.id, changedFields: ["name", "occupation"] }],
      ["user.role_changed", { userId: user.id, from: "USER", to: "MODERATOR", actorId: expect.any(String) }],
      ["user.disabled", { userId: user.id, sessionsRevoked: 1, actorId: expect.any(String) }],
      ["user.updated", { userId: user.id, changedFields: ["disabled"], disabled: false, actorId: expect.any(String) }],
      ["password.changed", { userId: user.id, otherSessionsRevoked: 0 }],
      ["user.deleted", { userId: user.id }],
    ]));
    for (const event of mine) expect(JSON.stringify(event)).not.toContain(newPassword);
    await server.gql(`mutation D($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: all.id }, { token: admin });
  });

  it("answers FORBIDDEN to non-admins and UNAUTHENTICATED without a token on every webhook field", async () => {
    const { token } = await signedInAs(server, "MODERATOR");
    const operations: Array<[string, Record<string, unknown>]> = [
      [`{ webhookEndpoints { id } }`, {}],
      [`query Q($id: ID!) { webhookDeliveries(endpointId: $id) { totalCount } }`, { id: endpoint.id }],
      [CREATE_ENDPOINT, { url: receiver.url, events: ["user.created"] }],
      [`mutation U($id: ID!) { updateWebhookEndpoint(id: $id, enabled: false) { id } }`, { id: endpoint.id }],
      [`mutation R($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: endpoint.id }],
      [`mutation D($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: endpoint.id }],
      [`mutation R($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }`, { id: endpoint.id }],
    ];
    for (const [query, variables] of operations) {
      expect((await server.gql(query, variables, { token })).body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
      expect((await server.gql(query, variables)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
    // Nothing changed: the endpoint is still on and signs with the same secret.
    const row = await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row.enabled).toBe(true);
  });

  it("cuts off a receiver that does not answer within WEBHOOK_TIMEOUT and retries later", async () => {
    await deliverer().drain();
    receiver.hang = true;
    try {
      const user = await registerUser(server);
      expect(await deliverer().runOnce()).toMatchObject({ delivered: 0, retrying: 1 });
      const row = await prisma().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id, payload: { contains: user.id } } });
      expect(row).toMatchObject({ status: "PENDING", attempts: 1, claimToken: null });
      expect(row.lastError).toMatch(/timed out after 500 ms/);
      receiver.hang = false;
      server.clock.advance(webhookRetryDelayMs(1) + 1_000);
      expect((await deliverer().drain()).delivered).toBe(1);
      expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "DELIVERED", attempts: 2, lastError: null });
    } finally {
      receiver.hang = false;
    }
  });

  it("never delivers one attempt twice when two deliverers run at once", async () => {
    const raced = await createEndpoint(server, admin, receiver.url, ["user.updated"]);
    const events = server.app.services.webhooks.events;
    for (let i = 0; i < 30; i++) await events.write(prisma(), { type: "user.updated", data: { userId: `race-${i}`, changedFields: ["name"] } });

    // PostgreSQL: a second server process on the same database. PGlite has one connection,
    // so the second deliverer shares it.
    const second = kind === "postgres" ? await startTestServer(kind, { databaseUrl: server.app.config.databaseUrl, env: WEBHOOK_ENV }) : undefined;
    const other =
      second?.app.services.webhooks.deliverer ??
      new WebhookDeliverer(
        {
          prisma: prisma(),
          deliveries: new WebhookDeliveryStore(prisma()),
          endpoints: new WebhookEndpointStore(prisma()),
          secrets: new SecretBox(server.app.config.appSecret, "webhook-secrets"),
          guard: new WebhookUrlGuard(true),
          audit: server.app.services.audit,
          clock: server.clock,
          logger: pino({ level: "silent" }),
        },
        { timeoutMs: 5_000, pollIntervalMs: 3_600_000, retryWindowMs: 86_400_000 },
      );
    const before = receiver.received.length;
    try {
      await Promise.all([deliverer().drain(), other.drain()]);
    } finally {
      if (second) await second.stop();
      else await other.stop();
    }
    const ids = receiver.received.slice(before).filter((d) => JSON.parse(d.body).data.userId?.startsWith("race-")).map((d) => d.headers["webhook-id"]);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    const rows = await prisma().webhookDelivery.findMany({ where: { endpointId: raced.id } });
    expect(rows).toHaveLength(30);
    for (const row of rows) expect(row).toMatchObject({ status: "DELIVERED", attempts: 1 });
  });

  // Last: it moves the clock a day ahead.
  it("gives up on a delivery and disables and audits an endpoint that has failed for 24 hours", async () => {
    const deadPort = await freePort();
    const dead = await createEndpoint(server, admin, `http://127.0.0.1:${deadPort}/hook`, ["user.updated"]);
    const events = server.app.services.webhooks.events;
    await events.write(prisma(), { type: "user.updated", data: { userId: "someone", changedFields: ["name"] } });
    await deliverer().drain();
    const first = await prisma().webhookDelivery.findFirstOrThrow({ where: { endpointId: dead.id } });
    expect(first).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(first.lastError).toMatch(/ECONNREFUSED/);
    expect((await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: dead.id } })).failingSince).not.toBeNull();

    // A few hours on: still retried, still on.
    server.clock.advance(12 * 3_600_000);
    await deliverer().drain();
    expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "PENDING", attempts: 2 });
    expect((await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: dead.id } })).enabled).toBe(true);

    server.clock.advance(12 * 3_600_000 + 60_000);
    await deliverer().drain();
    expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "FAILED", attempts: 3 });

    const token = await adminToken(server);
    const listed = await server.gql(`{ webhookEndpoints { id enabled } }`, {}, { token });
    expect(listed.body.data.webhookEndpoints.find((e: { id: string }) => e.id === dead.id)).toEqual({ id: dead.id, enabled: false });
    const audit = await server.gql(`{ auditLog(filter: { type: "WEBHOOK_ENDPOINT_DISABLED" }) { totalCount edges { node { actorId metadata } } } }`, {}, { token });
    expect(audit.body.data.auditLog.totalCount).toBe(1);
    expect(audit.body.data.auditLog.edges[0].node.actorId).toBeNull();
    expect(JSON.parse(audit.body.data.auditLog.edges[0].node.metadata)).toMatchObject({ endpointId: dead.id });

    // A disabled endpoint gets no new deliveries.
    await events.write(prisma(), { type: "user.updated", data: { userId: "someone-else", changedFields: ["name"] } });
    expect(await prisma().webhookDelivery.count({ where: { endpointId: dead.id } })).toBe(1);
  });
});

describe.each(testDatabases)("webhook deliveries across a receiver outage and a restart on %s", (kind) => {
  it("retries while the receiver is down and delivers after the server restarts, losing nothing", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-webhooks-"));
    const postgres = kind === "postgres" ? await createPostgresDatabase() : undefined;
    const options = { dataDir, pgliteDataDir: path.join(dataDir, "pglite"), databaseUrl: postgres?.url, env: WEBHOOK_ENV };
    const port = await freePort();
    let receiver: WebhookReceiver | undefined;
    try {
      const first = await startTestServer(kind, options);
      const endpoint = await createEndpoint(first, await adminToken(first), `http://127.0.0.1:${port}/hooks`, ["user.created", "session.created"]);
      const user = await registerUser(first);
      const signedIn = await login(first, user.username);
      expect(await first.app.services.webhooks.deliverer.runOnce()).toMatchObject({ delivered: 0, retrying: 2 });
      const pending = await first.app.database.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
      expect(pending).toHaveLength(2);
      for (const row of pending) {
        expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
        expect(row.lastError).toMatch(/ECONNREFUSED/);
      }
      await first.stop();

      receiver = await startWebhookReceiver(port);
      const second = await startTestServer(kind, options);
      try {
        // Not due yet after the restart; due once the backoff has passed. (The new process's
        // own first background pass may be the one that delivers: drain waits for it.)
        await second.app.services.webhooks.deliverer.drain();
        expect(receiver.received).toHaveLength(0);
        second.clock.advance(webhookRetryDelayMs(1) + 1_000);
        await second.app.services.webhooks.deliverer.drain();
        const rows = await second.app.database.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
        for (const row of rows) expect(row).toMatchObject({ status: "DELIVERED", attempts: 2 });
      } finally {
        await second.stop();
      }
      expect(receiver.received).toHaveLength(2);
      const created = verifyWebhook(endpoint.secret, eventsOfType(receiver, "user.created")[0]);
      expect(created.data).toMatchObject({ userId: user.id, username: user.username });
      const session = verifyWebhook(endpoint.secret, eventsOfType(receiver, "session.created")[0]);
      expect(session.data).toEqual({ userId: user.id, sessionId: signedIn.session.id });
    } finally {
      await receiver?.stop();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
