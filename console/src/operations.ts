import { graphql } from "./gql";

// Every operation the console sends. `npm run codegen` (at the repository root) turns these into
// typed documents in ./gql, checked against the server's schema.graphql.

export const ViewerQuery = graphql(`
  query ConsoleViewer { viewer { id username role impersonatedBy { id username } } }
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
    disabledReason
    disabledUntil
    createdAt
    updatedAt
    lastLoginAt
    twoFactorEnabled
    passkeyCount
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
  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!, $reason: String, $until: DateTime) {
    setUserDisabled(userId: $userId, disabled: $disabled, reason: $reason, until: $until) { ...UserDetailsFields }
  }
`);

export const UserSessionsQuery = graphql(`
  query ConsoleUserSessions($userId: ID!) {
    userSessions(userId: $userId) { id createdAt lastSeenAt authenticatedAt expiresAt userAgent ip current }
  }
`);

// Each session that starts or ends, as it happens: the user's page refetches its list.
export const UserSessionEventsSubscription = graphql(`
  subscription ConsoleUserSessionEvents($userId: ID!) { userSessionEvents(userId: $userId) { type sessionId at } }
`);

export const RevokeUserSessionMutation = graphql(`
  mutation ConsoleRevokeUserSession($userId: ID!, $sessionId: ID!) { revokeUserSession(userId: $userId, sessionId: $sessionId) }
`);

export const SendPasswordResetMutation = graphql(`
  mutation ConsoleSendPasswordReset($userId: ID!) { sendPasswordReset(userId: $userId) }
`);

export const DeleteUserMutation = graphql(`
  mutation ConsoleDeleteUser($userId: ID!) { deleteUser(userId: $userId) }
`);

export const UpdateUserMutation = graphql(`
  mutation ConsoleUpdateUser($userId: ID!, $input: AdminUpdateUserInput!) {
    updateUser(userId: $userId, input: $input) { ...UserDetailsFields }
  }
`);

export const CreateUserMutation = graphql(`
  mutation ConsoleCreateUser($input: AdminCreateUserInput!) { createUser(input: $input) { id username } }
`);

export const ImpersonateUserMutation = graphql(`
  mutation ConsoleImpersonateUser($userId: ID!, $reason: String!) {
    impersonateUser(userId: $userId, reason: $reason) { accessToken session { id } user { id username } }
  }
`);

// Sent with the impersonated session's bearer token (apollo.ts impersonationClient).
export const ImpersonatedViewQuery = graphql(`
  query ConsoleImpersonatedView {
    me {
      id
      username
      email
      emailVerified
      role
      twoFactorEnabled
      profile { name }
      impersonatedBy { id username }
    }
    mySessions { id createdAt lastSeenAt userAgent current }
  }
`);

export const EndImpersonationMutation = graphql(`
  mutation ConsoleEndImpersonation { logout }
`);

export const RevokeUserSessionsMutation = graphql(`
  mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }
`);

export const ReauthenticateMutation = graphql(`
  mutation ConsoleReauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }
`);

export const BeginPasskeyReauthenticationMutation = graphql(`
  mutation ConsoleBeginPasskeyReauthentication { beginPasskeyReauthentication { challengeToken optionsJson } }
`);

export const FinishPasskeyReauthenticationMutation = graphql(`
  mutation ConsoleFinishPasskeyReauthentication($challengeToken: String!, $responseJson: String!) {
    finishPasskeyReauthentication(challengeToken: $challengeToken, responseJson: $responseJson) { id authenticatedAt }
  }
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

export const OAuthClientFields = graphql(`
  fragment OAuthClientFields on OAuthClient { id clientId name redirectUris postLogoutRedirectUris grantTypes scopes public firstParty createdAt }
`);

export const OAuthClientsQuery = graphql(`
  query ConsoleOAuthClients { oauthClients { ...OAuthClientFields } }
`);

export const CreateOAuthClientMutation = graphql(`
  mutation ConsoleCreateOAuthClient($input: OAuthClientInput!) { createOAuthClient(input: $input) { clientSecret client { ...OAuthClientFields } } }
`);

export const UpdateOAuthClientMutation = graphql(`
  mutation ConsoleUpdateOAuthClient($id: ID!, $input: OAuthClientInput!) { updateOAuthClient(id: $id, input: $input) { ...OAuthClientFields } }
`);

export const RotateOAuthClientSecretMutation = graphql(`
  mutation ConsoleRotateOAuthClientSecret($id: ID!) { rotateOAuthClientSecret(id: $id) { clientSecret client { id } } }
`);

export const DeleteOAuthClientMutation = graphql(`
  mutation ConsoleDeleteOAuthClient($id: ID!) { deleteOAuthClient(id: $id) }
`);

// An organization by id (a global ADMIN reads any): its members, a page at a time, and pending invitations.
export const OrganizationQuery = graphql(`
  query ConsoleOrganization($id: ID!, $first: Int, $after: String) {
    organization(id: $id) {
      id
      name
      slug
      createdAt
      members(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id role createdAt user { id username email } } }
      }
      invitations { id email role expiresAt }
    }
  }
`);
