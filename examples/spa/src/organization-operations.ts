import { graphql } from "./gql";

// The operations behind the Organizations screen and the accept-invitation link page.

// The organizations the signed-in user belongs to, with their role in each.
export const MyOrganizationsQuery = graphql(`
  query MyOrganizations {
    viewer {
      id
      organizations { id role organization { id name slug } }
    }
  }
`);

export const CreateOrganizationMutation = graphql(`
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) { id name slug viewerRole }
  }
`);

// One organization: its members (a page at a time) and pending invitations, both for its
// OWNERs and ADMINs only; a MEMBER sees the organization itself.
export const OrganizationQuery = graphql(`
  query Organization($id: ID!) {
    organization(id: $id) { id name slug createdAt viewerRole }
  }
`);

export const OrganizationMembersQuery = graphql(`
  query OrganizationMembers($id: ID!, $first: Int, $after: String) {
    organization(id: $id) {
      id
      members(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id role createdAt user { id username } } }
      }
      invitations { id email role expiresAt }
    }
  }
`);

export const InviteMemberMutation = graphql(`
  mutation InviteMember($organizationId: ID!, $email: String!, $role: OrganizationRole!) {
    inviteMember(organizationId: $organizationId, email: $email, role: $role) { id email role expiresAt }
  }
`);

export const RevokeInvitationMutation = graphql(`
  mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) }
`);

export const ResendInvitationMutation = graphql(`
  mutation ResendInvitation($id: ID!) { resendInvitation(id: $id) { id email role expiresAt } }
`);

export const SetMemberRoleMutation = graphql(`
  mutation SetMemberRole($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {
    setMemberRole(organizationId: $organizationId, userId: $userId, role: $role) { id role }
  }
`);

export const RemoveMemberMutation = graphql(`
  mutation RemoveMember($organizationId: ID!, $userId: ID!) { removeMember(organizationId: $organizationId, userId: $userId) }
`);

export const LeaveOrganizationMutation = graphql(`
  mutation LeaveOrganization($organizationId: ID!) { leaveOrganization(organizationId: $organizationId) }
`);

export const SetActiveOrganizationMutation = graphql(`
  mutation SetActiveOrganization($id: ID) { setActiveOrganization(id: $id) { id activeOrganization { id } } }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($token: String!) {
    acceptInvitation(token: $token) { id role organization { id name slug } }
  }
`);

// Which organization this browser's session acts for: the current session's activeOrganization.
export const ActiveOrganizationQuery = graphql(`
  query ActiveOrganization { mySessions { id current activeOrganization { id } } }
`);
