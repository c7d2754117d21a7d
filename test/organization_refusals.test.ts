import type { TestServer } from "./support/test-server";
import { startTestServer, START_TIMEOUT_MS } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser, login } from "./support/accounts";
import { adminToken, ADMIN_ENV, AUDIT_LOG } from "./support/admin";
import {
  ACCEPT_INVITATION, CREATE_ORGANIZATION, INVITE_MEMBER, LEAVE_ORGANIZATION, ORGANIZATION, ORGANIZATION_ONLY, REMOVE_MEMBER, SET_MEMBER_ROLE,
  addMember, createOrganization, invitationTokenFromOutbox, signedInVerifiedUser, uniqueSlug,
} from "./support/organizations";

const MEMBERS = /* GraphQL */ `query ($id: ID!) { organization(id: $id) { id members { totalCount } } }`;
const INVITATIONS = /* GraphQL */ `query ($id: ID!) { organization(id: $id) { id invitations { id } } }`;

// Every refusal of the organization API: who may invite, read members and invitations, accept
// which invitation, and the rule that an organization keeps an OWNER.
describe.each(testDatabases)("organization refusals on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ...ADMIN_ENV, RATE_LIMIT_INVITATIONS: "3/1h" } });
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("refuses a MEMBER inviting, and an ADMIN inviting an OWNER", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    const member = await signedInVerifiedUser(server);
    await addMember(server, owner, organizationId, member, "MEMBER");
    const admin = await signedInVerifiedUser(server);
    await addMember(server, owner, organizationId, admin, "ADMIN");

    const byMember = await server.gql(INVITE_MEMBER, { organizationId, email: "someone@example.com", role: "MEMBER" }, { token: member.token });
    expect(byMember.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const ownerByAdmin = await server.gql(INVITE_MEMBER, { organizationId, email: "someone@example.com", role: "OWNER" }, { token: admin.token });
    expect(ownerByAdmin.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const outsider = await signedInVerifiedUser(server);
    const byOutsider = await server.gql(INVITE_MEMBER, { organizationId, email: "someone@example.com", role: "MEMBER" }, { token: outsider.token });
    expect(byOutsider.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(await server.app.database.prisma.invitation.count({ where: { organizationId } })).toBe(2);
  });

  it("hides members and invitations from MEMBERs and non-members; a global ADMIN sees them", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    const member = await signedInVerifiedUser(server);
    await addMember(server, owner, organizationId, member);
    const outsider = await signedInVerifiedUser(server);

    expect((await server.gql(ORGANIZATION_ONLY, { id: organizationId }, { token: outsider.token })).body.data.organization).toBeNull();
    const asMember = await server.gql(ORGANIZATION_ONLY, { id: organizationId }, { token: member.token });
    expect(asMember.body.data.organization.viewerRole).toBe("MEMBER");
    const membersAsMember = await server.gql(MEMBERS, { id: organizationId }, { token: member.token });
    expect(membersAsMember.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const invitationsAsMember = await server.gql(INVITATIONS, { id: organizationId }, { token: member.token });
    expect(invitationsAsMember.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const rootToken = await adminToken(server);
    const asAdmin = await server.gql(ORGANIZATION, { id: organizationId }, { token: rootToken });
    expect(asAdmin.body.errors).toBeUndefined();
    expect(asAdmin.body.data.organization).toMatchObject({ viewerRole: null, members: { totalCount: 2 } });

    // The organization's audit events: its OWNER yes, its MEMBER and outsiders no.
    const ownerLog = await server.gql(AUDIT_LOG, { filter: { organizationId } }, { token: owner.token });
    expect(ownerLog.body.errors).toBeUndefined();
    expect(ownerLog.body.data.auditLog.edges.length).toBeGreaterThan(0);
    for (const who of [member, outsider]) {
      const refused = await server.gql(AUDIT_LOG, { filter: { organizationId } }, { token: who.token });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    const unfiltered = await server.gql(AUDIT_LOG, {}, { token: owner.token });
    expect(unfiltered.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("refuses an invitation accepted with another e-mail or an unverified one", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    const invitee = await signedInVerifiedUser(server);
    await server.gql(INVITE_MEMBER, { organizationId, email: invitee.email, role: "MEMBER" }, { token: owner.token });
    const token = await invitationTokenFromOutbox(server, invitee.email);

    const other = await signedInVerifiedUser(server);
    const byOther = await server.gql(ACCEPT_INVITATION, { token }, { token: other.token });
    expect(byOther.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "EMAIL_MISMATCH" });
    // An account that only claims the invited address (unverified) is refused too.
    const claimed = `claimed-${organizationId}@example.com`;
    await server.gql(INVITE_MEMBER, { organizationId, email: claimed, role: "MEMBER" }, { token: owner.token });
    const claimedToken = await invitationTokenFromOutbox(server, claimed);
    const claimant = await registerUser(server, { email: claimed });
    const claimantSession = await login(server, claimant.username);
    const byClaimant = await server.gql(ACCEPT_INVITATION, { token: claimedToken }, { token: claimantSession.accessToken });
    expect(byClaimant.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "EMAIL_MISMATCH" });
    // The refusals did not use the invitation up.
    const accepted = await server.gql(ACCEPT_INVITATION, { token }, { token: invitee.token });
    expect(accepted.body.errors).toBeUndefined();
  });

  it("refuses a used, an expired and an unknown invitation, and a member accepting again", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    const invitee = await signedInVerifiedUser(server);
    await server.gql(INVITE_MEMBER, { organizationId, email: invitee.email, role: "MEMBER" }, { token: owner.token });
    const used = await invitationTokenFromOutbox(server, invitee.email);
    expect((await server.gql(ACCEPT_INVITATION, { token: used }, { token: invitee.token })).body.errors).toBeUndefined();
    const again = await server.gql(ACCEPT_INVITATION, { token: used }, { token: invitee.token });
    expect(again.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token", reason: "INVITATION_USED" });

    // Invited again while already a member (the address's verified account belongs): CONFLICT.
    const twice = await server.gql(INVITE_MEMBER, { organizationId, email: invitee.email, role: "MEMBER" }, { token: owner.token });
    expect(twice.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "email" });

    const late = await signedInVerifiedUser(server);
    await server.gql(INVITE_MEMBER, { organizationId, email: late.email, role: "MEMBER" }, { token: owner.token });
    const expiring = await invitationTokenFromOutbox(server, late.email);
    server.clock.advance(7 * 24 * 3_600_000 + 60_000);
    const lateToken = (await login(server, late.username)).accessToken;
    const expired = await server.gql(ACCEPT_INVITATION, { token: expiring }, { token: lateToken });
    expect(expired.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token", reason: "INVITATION_EXPIRED" });

    const unknown = await server.gql(ACCEPT_INVITATION, { token: "not-a-token" }, { token: lateToken });
    expect(unknown.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "INVITATION_INVALID" });
  });

  it("keeps the last OWNER: no leaving, removal or demotion", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    const admin = await signedInVerifiedUser(server);
    await addMember(server, owner, organizationId, admin, "ADMIN");

    const leave = await server.gql(LEAVE_ORGANIZATION, { organizationId }, { token: owner.token });
    expect(leave.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", reason: "LAST_OWNER" });
    const demote = await server.gql(SET_MEMBER_ROLE, { organizationId, userId: owner.id, role: "ADMIN" }, { token: owner.token });
    expect(demote.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", reason: "LAST_OWNER" });
    const removeSelf = await server.gql(REMOVE_MEMBER, { organizationId, userId: owner.id }, { token: owner.token });
    expect(removeSelf.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", reason: "LAST_OWNER" });
    // An ADMIN may not touch an OWNER at all.
    const byAdmin = await server.gql(REMOVE_MEMBER, { organizationId, userId: owner.id }, { token: admin.token });
    expect(byAdmin.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const promoteByAdmin = await server.gql(SET_MEMBER_ROLE, { organizationId, userId: admin.id, role: "OWNER" }, { token: admin.token });
    expect(promoteByAdmin.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const row = await server.app.database.prisma.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId, userId: owner.id } } });
    expect(row.role).toBe("OWNER");
  });

  it("checks slugs: format and uniqueness", async () => {
    const owner = await signedInVerifiedUser(server);
    for (const slug of ["ab", "Upper-Case", "has space", "-dash", "dash-", "a".repeat(49), "ünï"]) {
      const { body } = await server.gql(CREATE_ORGANIZATION, { input: { name: "Team", slug } }, { token: owner.token });
      expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "slug" });
    }
    const slug = uniqueSlug();
    await createOrganization(server, owner, slug);
    const taken = await server.gql(CREATE_ORGANIZATION, { input: { name: "Other", slug } }, { token: owner.token });
    expect(taken.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "slug" });
    const blankName = await server.gql(CREATE_ORGANIZATION, { input: { name: "  ", slug: uniqueSlug() } }, { token: owner.token });
    expect(blankName.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
  });

  it("limits the invitations an organization sends per hour (RATE_LIMIT_INVITATIONS)", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    for (let i = 0; i < 3; i++) {
      const { body } = await server.gql(INVITE_MEMBER, { organizationId, email: `limit${i}-${organizationId}@example.com`, role: "MEMBER" }, { token: owner.token });
      expect(body.errors).toBeUndefined();
    }
    const over = await server.gql(INVITE_MEMBER, { organizationId, email: `limit-over-${organizationId}@example.com`, role: "MEMBER" }, { token: owner.token });
    expect(over.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    // Another organization is counted on its own.
    const other = await createOrganization(server, owner);
    const elsewhere = await server.gql(INVITE_MEMBER, { organizationId: other.id, email: `limit-else-${organizationId}@example.com`, role: "MEMBER" }, { token: owner.token });
    expect(elsewhere.body.errors).toBeUndefined();
  });
});
