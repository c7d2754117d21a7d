import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerSignedInUser } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { createEndpoint } from "./support/webhooks";
import { REVOKE_PAT, createPat } from "./support/personal-access-tokens";

// Nothing is delivered here: the deliveries written in each change's transaction are read back.
const WEBHOOK_ENV = { ...ADMIN_ENV, WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_INTERVAL: "1h" };

// Making and revoking a token is audited and announced to webhooks, with ids and scopes, never the secret.
describe.each(testDatabases)("personal access token audit and webhook events on %s", (kind) => {
  let server: TestServer;
  let endpointId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: WEBHOOK_ENV });
    endpointId = (await createEndpoint(server, await adminToken(server), "http://127.0.0.1:9/hook", ["personal_access_token.created", "personal_access_token.revoked"])).id;
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("audits creation and revocation and emits personal_access_token.created / .revoked", async () => {
    const user = await registerSignedInUser(server);
    const expiresAt = new Date(server.clock.now().getTime() + 7 * 24 * 3_600_000).toISOString();
    const { secret, token } = await createPat(server, user.token, ["read:profile", "write:profile"], { name: "ci", expiresAt });
    await server.gql(REVOKE_PAT, { id: token.id }, { token: user.token });
    // A second revocation changes nothing and records nothing.
    await server.gql(REVOKE_PAT, { id: token.id }, { token: user.token });

    const prisma = server.app.database.prisma;
    const audits = await prisma.auditEvent.findMany({ where: { userId: user.id, type: { startsWith: "PERSONAL_ACCESS_TOKEN" } }, orderBy: { createdAt: "asc" } });
    expect(audits.map((event) => event.type)).toEqual(["PERSONAL_ACCESS_TOKEN_CREATED", "PERSONAL_ACCESS_TOKEN_REVOKED"]);
    expect(audits[0].metadata).toEqual({ tokenId: token.id, scopes: ["read:profile", "write:profile"], expiresAt });
    expect(audits[1].metadata).toEqual({ tokenId: token.id });

    const activity = await server.gql(`query { myActivity(first: 10) { edges { node { type } } } }`, {}, { token: user.token });
    expect(activity.body.data.myActivity.edges.map((edge: any) => edge.node.type)).toEqual(
      expect.arrayContaining(["PERSONAL_ACCESS_TOKEN_CREATED", "PERSONAL_ACCESS_TOKEN_REVOKED"]),
    );

    const rows = await prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    const events = rows.map((row) => JSON.parse(row.payload)).filter((event) => event.data.userId === user.id);
    expect(events.map((event) => event.type)).toEqual(["personal_access_token.created", "personal_access_token.revoked"]);
    expect(events[0].data).toEqual({ userId: user.id, tokenId: token.id, scopes: ["read:profile", "write:profile"], expiresAt });
    expect(events[1].data).toEqual({ userId: user.id, tokenId: token.id });

    const stored = await prisma.personalAccessToken.findUniqueOrThrow({ where: { id: token.id } });
    for (const text of [...rows.map((row) => row.payload), ...audits.map((event) => JSON.stringify(event))]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(stored.tokenHash);
    }
  });
});
