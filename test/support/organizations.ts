import type { TestServer } from "./test-server";
import { login, registerVerifiedUser, uniqueName, type RegisteredUser } from "./accounts";

export const CREATE_ORGANIZATION = /* GraphQL */ `
  mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name slug viewerRole } }
`;
export const INVITE_MEMBER = /* GraphQL */ `
  mutation ($organizationId: ID!, $email: String!, $role: OrganizationRole!) {
    inviteMember(organizationId: $organizationId, email: $email, role: $role) { id email role expiresAt }
  }
`;
export const ACCEPT_INVITATION = /* GraphQL */ `
  mutation ($token: String!) { acceptInvitation(token: $token) { id role user { id } organization { id slug } } }
`;
export const REVOKE_INVITATION = /* GraphQL */ `mutation ($id: ID!) { revokeInvitation(id: $id) }`;
export const RESEND_INVITATION = /* GraphQL */ `mutation ($id: ID!) { resendInvitation(id: $id) { id email role expiresAt } }`;
export const SET_MEMBER_ROLE = /* GraphQL */ `
  mutation ($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {
    setMemberRole(organizationId: $organizationId, userId: $userId, role: $role) { id role user { id } }
  }
`;
export const REMOVE_MEMBER = /* GraphQL */ `mutation ($organizationId: ID!, $userId: ID!) { removeMember(organizationId: $organizationId, userId: $userId) }`;
export const LEAVE_ORGANIZATION = /* GraphQL */ `mutation ($organizationId: ID!) { leaveOrganization(organizationId: $organizationId) }`;
export const SET_ACTIVE_ORGANIZATION = /* GraphQL */ `mutation ($id: ID) { setActiveOrganization(id: $id) { id current } }`;
export const ORGANIZATION = /* GraphQL */ `
  query ($id: ID!, $first: Int, $after: String) {
    organization(id: $id) {
      id slug viewerRole
      members(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { role user { id username } } } }
      invitations { id email role }
    }
  }
`;
export const ORGANIZATION_ONLY = /* GraphQL */ `query ($id: ID!) { organization(id: $id) { id slug viewerRole } }`;
export const MY_ORGANIZATIONS = /* GraphQL */ `query { me { organizations { role organization { id slug } } } }`;
export const INVITATION_SUBJECT = "You are invited to join";

export type SignedIn = RegisteredUser & { token: string; refreshToken: string; sessionId: string };

/** A new account with a verified address, signed in. */
export async function signedInVerifiedUser(server: TestServer, email?: string): Promise<SignedIn> {
  const user = await registerVerifiedUser(server, email ? { email } : {});
  const session = await login(server, user.username);
  return { ...user, token: session.accessToken, refreshToken: session.refreshToken, sessionId: session.session.id };
}

export function uniqueSlug(): string {
  return uniqueName("org").toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 48);
}

/** A new organization owned by `owner`. */
export async function createOrganization(server: TestServer, owner: { token: string }, slug = uniqueSlug()): Promise<{ id: string; slug: string }> {
  const { body } = await server.gql(CREATE_ORGANIZATION, { input: { name: `Team ${slug}`, slug } }, { token: owner.token });
  if (body.errors) throw new Error(`createOrganization failed: ${JSON.stringify(body.errors)}`);
  return body.data.createOrganization;
}

/** The token of the newest invitation mailed to `email` (read from the outbox). */
export async function invitationTokenFromOutbox(server: TestServer, email: string): Promise<string> {
  const mails = await server.app.database.prisma.outboxMail.findMany({ where: { to: email }, orderBy: { createdAt: "desc" } });
  const token = mails.map((mail) => /\/accept-invitation\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1]).find(Boolean);
  if (!token) throw new Error(`no invitation mailed to ${email}`);
  return token;
}

/** `member` joins `organizationId` with `role`, invited by `owner` and accepting the mailed link. */
export async function addMember(server: TestServer, owner: { token: string }, organizationId: string, member: SignedIn, role = "MEMBER"): Promise<void> {
  const invited = await server.gql(INVITE_MEMBER, { organizationId, email: member.email, role }, { token: owner.token });
  if (invited.body.errors) throw new Error(`inviteMember failed: ${JSON.stringify(invited.body.errors)}`);
  const token = await invitationTokenFromOutbox(server, member.email);
  const accepted = await server.gql(ACCEPT_INVITATION, { token }, { token: member.token });
  if (accepted.body.errors) throw new Error(`acceptInvitation failed: ${JSON.stringify(accepted.body.errors)}`);
}
