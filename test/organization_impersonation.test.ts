import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME, AUDIT_LOG } from "./support/admin";
import {
  ACCEPT_INVITATION,
  INVITE_MEMBER,
  LEAVE_ORGANIZATION,
  MY_ORGANIZATIONS,
  SET_ACTIVE_ORGANIZATION,
  addMember,
  createOrganization,
  invitationTokenFromOutbox,
  signedInVerifiedUser,
} from "./support/organizations";

const IMPERSONATE = /* GraphQL */ `mutation ($userId: ID!) { impersonateUser(userId: $userId, reason: "Ticket 88: cannot see the team") { accessToken } }`;

// An ADMIN signed in as a user (impersonateUser) looks at what the user sees. Joining or leaving
// an organization changes what the account can reach, so the ADMIN may not do it for the user;
// what the ADMIN does inside an organization is audited with the ADMIN as actor.
describe.each(testDatabases)("organizations in an impersonated session on %s", (kind) => {
  let server: TestServer;
  let adminId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
    adminId = (await login(server, ADMIN_USERNAME, ADMIN_PASSWORD)).user.id;
  });
  afterAll(() => server.stop());

  const adminToken = async () => (await login(server, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken;
  async function impersonating(userId: string): Promise<string> {
    const { body } = await server.gql(IMPERSONATE, { userId }, { token: await adminToken() });
    expect(body.errors).toBeUndefined();
    return body.data.impersonateUser.accessToken;
  }
  const memberships = async (token: string) => (await server.gql(MY_ORGANIZATIONS, {}, { token })).body.data.me.organizations;

  it("refuses to accept an invitation for the user, and the link still works for the user", async () => {
    const owner = await signedInVerifiedUser(server);
    const invitee = await signedInVerifiedUser(server);
    const organization = await createOrganization(server, owner);
    expect((await server.gql(INVITE_MEMBER, { organizationId: organization.id, email: invitee.email, role: "MEMBER" }, { token: owner.token })).body.errors).toBeUndefined();
    const invitation = await invitationTokenFromOutbox(server, invitee.email);

    const refused = await server.gql(ACCEPT_INVITATION, { token: invitation }, { token: await impersonating(invitee.id) });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "IMPERSONATION" });
    expect(await memberships(invitee.token)).toEqual([]);
    expect((await server.gql(ACCEPT_INVITATION, { token: invitation }, { token: invitee.token })).body.errors).toBeUndefined();
  });

  it("refuses to leave an organization for the user, but lets the ADMIN switch to it to look", async () => {
    const owner = await signedInVerifiedUser(server);
    const member = await signedInVerifiedUser(server);
    const organization = await createOrganization(server, owner);
    await addMember(server, owner, organization.id, member);
    const token = await impersonating(member.id);

    const refused = await server.gql(LEAVE_ORGANIZATION, { organizationId: organization.id }, { token });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "IMPERSONATION" });
    expect(await memberships(member.token)).toHaveLength(1);
    const switched = await server.gql(SET_ACTIVE_ORGANIZATION, { id: organization.id }, { token });
    expect(switched.body.errors).toBeUndefined();
  });

  it("records what the ADMIN does inside an organization with the ADMIN as actor", async () => {
    const owner = await signedInVerifiedUser(server);
    const organization = await createOrganization(server, owner);
    const invitee = await signedInVerifiedUser(server);
    const token = await impersonating(owner.id);
    expect((await server.gql(INVITE_MEMBER, { organizationId: organization.id, email: invitee.email, role: "MEMBER" }, { token })).body.errors).toBeUndefined();
    const audit = await server.gql(AUDIT_LOG, { filter: { organizationId: organization.id, type: "MEMBER_INVITED" } }, { token: await adminToken() });
    expect(audit.body.errors).toBeUndefined();
    const events = audit.body.data.auditLog.edges.map((edge: { node: { userId: string; actorId: string } }) => edge.node);
    // Before the fix the event named the impersonated OWNER as its actor.
    expect(events).toEqual([expect.objectContaining({ actorId: adminId })]);
    expect(adminId).not.toBe(owner.id);
  });
});
