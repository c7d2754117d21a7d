import { graphql } from "./gql";

// Every operation the console sends. `npm run codegen` (at the repository root) turns these into
// typed documents in ./gql, checked against the server's schema.graphql.

export const ViewerQuery = graphql(`
  query ConsoleViewer { viewer { id username role } }
`);

export const SearchUsersQuery = graphql(`
  query ConsoleSearchUsers($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {
    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node { id username email emailVerified role disabled createdAt lastLoginAt profile { name } }
      }
    }
  }
`);

export const UserDetailsFields = graphql(`
  fragment UserDetailsFields on User {
    id
    username
    email
    pendingEmail
    emailVerified
    role
    disabled
    createdAt
    updatedAt
    lastLoginAt
    twoFactorEnabled
    linkedProviders
    avatarUrl
    profile { name contact address occupation hobby highestQualification dateOfBirth }
  }
`);

export const UserQuery = graphql(`
  query ConsoleUser($id: ID!) { user(id: $id) { ...UserDetailsFields } }
`);

export const AuditLogQuery = graphql(`
  query ConsoleAuditLog($filter: AuditFilter, $first: Int, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id type userId actorId ip userAgent metadata createdAt } }
    }
  }
`);

export const SetUserRoleMutation = graphql(`
  mutation ConsoleSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...UserDetailsFields } }
`);

export const SetUserDisabledMutation = graphql(`
  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!) {
    setUserDisabled(userId: $userId, disabled: $disabled) { ...UserDetailsFields }
  }
`);

export const RevokeUserSessionsMutation = graphql(`
  mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }
`);

export const ReauthenticateMutation = graphql(`
  mutation ConsoleReauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }
`);

export const BeginPasskeyLoginMutation = graphql(`
  mutation ConsoleBeginPasskeyLogin { beginPasskeyLogin { challengeToken optionsJson } }
`);

export const FinishPasskeyLoginMutation = graphql(`
  mutation ConsoleFinishPasskeyLogin($challengeToken: String!, $responseJson: String!) {
    finishPasskeyLogin(challengeToken: $challengeToken, responseJson: $responseJson, cookie: true) { user { id } }
  }
`);

export const WebhookEndpointsQuery = graphql(`
  query ConsoleWebhookEndpoints { webhookEndpoints { id url events enabled createdAt } }
`);

export const WebhookDeliveriesQuery = graphql(`
  query ConsoleWebhookDeliveries($endpointId: ID!, $first: Int, $after: String) {
    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id eventType status attempts createdAt deliveredAt lastError } }
    }
  }
`);

export const RedeliverWebhookMutation = graphql(`
  mutation ConsoleRedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status } }
`);
