import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { linkToken, type TestSmtpServer, useServerWithSmtp } from "./support/smtp";
import { deliverMail, mailsTo } from "./support/recovery";
import {
  ACCEPT_INVITATION, INVITATION_SUBJECT, INVITE_MEMBER, LEAVE_ORGANIZATION, MY_ORGANIZATIONS, ORGANIZATION, REMOVE_MEMBER, RESEND_INVITATION,
  REVOKE_INVITATION, SET_MEMBER_ROLE, createOrganization, signedInVerifiedUser, uniqueSlug, CREATE_ORGANIZATION,
} from "./support/organizations";

// An organization's whole life over HTTP: created, a member invited and joining through the
// mailed link, promoted, removed, and the last one leaving after ownership moved.
describe.each(testDatabases)("organization lifecycle on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started));

  async function mailedToken(email: string): Promise<string> {
    await deliverMail(server);
    const mails = mailsTo(smtp, email, INVITATION_SUBJECT);
    expect(mails.length).toBeGreaterThan(0);
    return linkToken(mails[mails.length - 1], "/accept-invitation");
  }

  it("creates, invites, accepts by the mailed link, changes a role, removes and leaves", async () => {
    const owner = await signedInVerifiedUser(server);
    const slug = uniqueSlug();
    const created = await server.gql(CREATE_ORGANIZATION, { input: { name: "Acme Robotics", slug } }, { token: owner.token });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createOrganization).toMatchObject({ name: "Acme Robotics", slug, viewerRole: "OWNER" });
    const organizationId = created.body.data.createOrganization.id as string;

    const member = await signedInVerifiedUser(server);
    const invited = await server.gql(INVITE_MEMBER, { organizationId, email: member.email.toUpperCase(), role: "MEMBER" }, { token: owner.token });
    expect(invited.body.errors).toBeUndefined();
    expect(invited.body.data.inviteMember).toMatchObject({ email: member.email, role: "MEMBER" });
    const listed = await server.gql(ORGANIZATION, { id: organizationId }, { token: owner.token });
    expect(listed.body.data.organization.invitations).toEqual([{ id: invited.body.data.inviteMember.id, email: member.email, role: "MEMBER" }]);

    const token = await mailedToken(member.email);
    const mail = mailsTo(smtp, member.email, INVITATION_SUBJECT).at(-1)!;
    expect(mail.decoded).toContain(`http://localhost:4000/accept-invitation?token=${token}`);
    expect(mail.decoded).toContain("Acme Robotics");
    // The token is stored only hashed.
    expect(await server.app.database.prisma.invitation.count({ where: { tokenHash: token } })).toBe(0);

    const accepted = await server.gql(ACCEPT_INVITATION, { token }, { token: member.token });
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data.acceptInvitation).toMatchObject({ role: "MEMBER", user: { id: member.id }, organization: { id: organizationId, slug } });

    const mine = await server.gql(MY_ORGANIZATIONS, {}, { token: member.token });
    expect(mine.body.data.me.organizations).toEqual([{ role: "MEMBER", organization: { id: organizationId, slug } }]);
    const afterAccept = await server.gql(ORGANIZATION, { id: organizationId }, { token: owner.token });
    expect(afterAccept.body.data.organization.invitations).toEqual([]);
    expect(afterAccept.body.data.organization.members.totalCount).toBe(2);
    expect(afterAccept.body.data.organization.members.edges.map((edge: any) => [edge.node.user.id, edge.node.role])).toEqual([
      [owner.id, "OWNER"],
      [member.id, "MEMBER"],
    ]);

    const promoted = await server.gql(SET_MEMBER_ROLE, { organizationId, userId: member.id, role: "OWNER" }, { token: owner.token });
    expect(promoted.body.errors).toBeUndefined();
    expect(promoted.body.data.setMemberRole).toMatchObject({ role: "OWNER", user: { id: member.id } });

    // With two OWNERs the first may leave; the second then removes nobody but themself is left.
    const left = await server.gql(LEAVE_ORGANIZATION, { organizationId }, { token: owner.token });
    expect(left.body).toEqual({ data: { leaveOrganization: true } });
    const gone = await server.gql(ORGANIZATION, { id: organizationId }, { token: owner.token });
    expect(gone.body.data.organization).toBeNull();

    const third = await signedInVerifiedUser(server);
    await server.gql(INVITE_MEMBER, { organizationId, email: third.email, role: "ADMIN" }, { token: member.token });
    const joined = await server.gql(ACCEPT_INVITATION, { token: await mailedToken(third.email) }, { token: third.token });
    expect(joined.body.data.acceptInvitation.role).toBe("ADMIN");
    const removed = await server.gql(REMOVE_MEMBER, { organizationId, userId: third.id }, { token: member.token });
    expect(removed.body).toEqual({ data: { removeMember: true } });
    const thirdView = await server.gql(ORGANIZATION, { id: organizationId }, { token: third.token });
    expect(thirdView.body.data.organization).toBeNull();

    const events = await server.app.database.prisma.auditEvent.findMany({ where: { organizationId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(events.map((event) => event.type)).toEqual([
      "ORGANIZATION_CREATED", "MEMBER_INVITED", "INVITATION_ACCEPTED", "MEMBER_ROLE_CHANGED", "MEMBER_LEFT", "MEMBER_INVITED", "INVITATION_ACCEPTED", "MEMBER_REMOVED",
    ]);
  });

  it("resending mails a new link and retires the old one; revoking ends the link", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    const invitee = await signedInVerifiedUser(server);
    const invited = await server.gql(INVITE_MEMBER, { organizationId, email: invitee.email, role: "MEMBER" }, { token: owner.token });
    const first = await mailedToken(invitee.email);

    const resent = await server.gql(RESEND_INVITATION, { id: invited.body.data.inviteMember.id }, { token: owner.token });
    expect(resent.body.errors).toBeUndefined();
    const second = await mailedToken(invitee.email);
    expect(second).not.toBe(first);
    const old = await server.gql(ACCEPT_INVITATION, { token: first }, { token: invitee.token });
    expect(old.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token", reason: "INVITATION_REVOKED" });

    const revoked = await server.gql(REVOKE_INVITATION, { id: resent.body.data.resendInvitation.id }, { token: owner.token });
    expect(revoked.body).toEqual({ data: { revokeInvitation: true } });
    const refused = await server.gql(ACCEPT_INVITATION, { token: second }, { token: invitee.token });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "INVITATION_REVOKED" });
  });

  it("pages the members with cursors and counts them", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    const others = [];
    for (let i = 0; i < 3; i++) {
      const user = await signedInVerifiedUser(server);
      await server.gql(INVITE_MEMBER, { organizationId, email: user.email, role: "MEMBER" }, { token: owner.token });
      await server.gql(ACCEPT_INVITATION, { token: await mailedToken(user.email) }, { token: user.token });
      others.push(user.id);
    }
    const page1 = await server.gql(ORGANIZATION, { id: organizationId, first: 2 }, { token: owner.token });
    const members1 = page1.body.data.organization.members;
    expect(members1.totalCount).toBe(4);
    expect(members1.pageInfo.hasNextPage).toBe(true);
    const page2 = await server.gql(ORGANIZATION, { id: organizationId, first: 2, after: members1.pageInfo.endCursor }, { token: owner.token });
    const members2 = page2.body.data.organization.members;
    expect(members2.pageInfo.hasNextPage).toBe(false);
    const ids = [...members1.edges, ...members2.edges].map((edge: any) => edge.node.user.id);
    expect(ids).toEqual([owner.id, ...others]);
  });
});
