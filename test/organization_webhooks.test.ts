import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { createEndpoint } from "./support/webhooks";
import {
  INVITE_MEMBER, LEAVE_ORGANIZATION, REMOVE_MEMBER, REVOKE_INVITATION, SET_MEMBER_ROLE, ACCEPT_INVITATION,
  createOrganization, invitationTokenFromOutbox, signedInVerifiedUser,
} from "./support/organizations";

// Nothing is delivered here: the deliveries written in each change's transaction are read back.
const WEBHOOK_ENV = { ...ADMIN_ENV, WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_INTERVAL: "1h" };

// A receiver learns of organizations and memberships: organization.* and membership.* events.
describe.each(testDatabases)("organization webhook events on %s", (kind) => {
  let server: TestServer;
  let endpointId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: WEBHOOK_ENV });
    const admin = await adminToken(server);
    endpointId = (
      await createEndpoint(server, admin, "http://127.0.0.1:9/hook", [
        "organization.created", "membership.invited", "membership.invitation_revoked", "membership.created", "membership.role_changed", "membership.removed",
      ])
    ).id;
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("emits an event for every organization and membership change, with ids and roles but no address", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId, slug } = await createOrganization(server, owner);
    const member = await signedInVerifiedUser(server);
    const invited = await server.gql(INVITE_MEMBER, { organizationId, email: member.email, role: "MEMBER" }, { token: owner.token });
    const invitationId = invited.body.data.inviteMember.id;
    await server.gql(ACCEPT_INVITATION, { token: await invitationTokenFromOutbox(server, member.email) }, { token: member.token });
    await server.gql(SET_MEMBER_ROLE, { organizationId, userId: member.id, role: "ADMIN" }, { token: owner.token });
    const revokedInvite = await server.gql(INVITE_MEMBER, { organizationId, email: `nobody-${organizationId}@example.com`, role: "MEMBER" }, { token: owner.token });
    await server.gql(REVOKE_INVITATION, { id: revokedInvite.body.data.inviteMember.id }, { token: owner.token });
    await server.gql(LEAVE_ORGANIZATION, { organizationId }, { token: member.token });
    const third = await signedInVerifiedUser(server);
    await server.gql(INVITE_MEMBER, { organizationId, email: third.email, role: "MEMBER" }, { token: owner.token });
    await server.gql(ACCEPT_INVITATION, { token: await invitationTokenFromOutbox(server, third.email) }, { token: third.token });
    await server.gql(REMOVE_MEMBER, { organizationId, userId: third.id }, { token: owner.token });

    const rows = await server.app.database.prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    const events = rows.map((row) => JSON.parse(row.payload)).filter((event) => event.data.organizationId === organizationId);
    expect(events.map((event) => event.type)).toEqual([
      "organization.created", "membership.invited", "membership.created", "membership.role_changed", "membership.invited", "membership.invitation_revoked",
      "membership.removed", "membership.invited", "membership.created", "membership.removed",
    ]);
    expect(events[0].data).toEqual({ organizationId, slug, ownerId: owner.id });
    expect(events[1].data).toEqual({ organizationId, invitationId, role: "MEMBER", resent: false, actorId: owner.id });
    expect(events[2].data).toMatchObject({ organizationId, userId: member.id, role: "MEMBER", invitationId });
    expect(events[3].data).toEqual({ organizationId, userId: member.id, from: "MEMBER", to: "ADMIN", actorId: owner.id });
    expect(events[6].data).toEqual({ organizationId, userId: member.id, role: "ADMIN", reason: "LEFT" });
    expect(events[9].data).toEqual({ organizationId, userId: third.id, role: "MEMBER", reason: "REMOVED", actorId: owner.id });
    for (const row of rows) expect(row.payload).not.toContain("@example.com");
  });
});
