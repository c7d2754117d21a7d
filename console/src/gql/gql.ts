/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ConsoleViewer { viewer { id username role impersonatedBy { id username } } }\n": typeof types.ConsoleViewerDocument,
    "\n  query ConsoleSearchUsers($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {\n    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id username email emailVerified role disabled createdAt lastLoginAt profile { name } }\n      }\n    }\n  }\n": typeof types.ConsoleSearchUsersDocument,
    "\n  fragment UserDetailsFields on User {\n    id\n    username\n    email\n    pendingEmail\n    emailVerified\n    role\n    disabled\n    disabledReason\n    disabledUntil\n    createdAt\n    updatedAt\n    lastLoginAt\n    twoFactorEnabled\n    passkeyCount\n    linkedProviders\n    avatarUrl\n    profile { name contact address occupation hobby highestQualification dateOfBirth }\n  }\n": typeof types.UserDetailsFieldsFragmentDoc,
    "\n  query ConsoleUser($id: ID!) { user(id: $id) { ...UserDetailsFields } }\n": typeof types.ConsoleUserDocument,
    "\n  query ConsoleAuditLog($filter: AuditFilter, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId ip userAgent metadata createdAt } }\n    }\n  }\n": typeof types.ConsoleAuditLogDocument,
    "\n  mutation ConsoleSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...UserDetailsFields } }\n": typeof types.ConsoleSetUserRoleDocument,
    "\n  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!, $reason: String, $until: DateTime) {\n    setUserDisabled(userId: $userId, disabled: $disabled, reason: $reason, until: $until) { ...UserDetailsFields }\n  }\n": typeof types.ConsoleSetUserDisabledDocument,
    "\n  query ConsoleUserSessions($userId: ID!) {\n    userSessions(userId: $userId) { id createdAt lastSeenAt authenticatedAt expiresAt userAgent ip current }\n  }\n": typeof types.ConsoleUserSessionsDocument,
    "\n  subscription ConsoleUserSessionEvents($userId: ID!) { userSessionEvents(userId: $userId) { type sessionId at } }\n": typeof types.ConsoleUserSessionEventsDocument,
    "\n  mutation ConsoleRevokeUserSession($userId: ID!, $sessionId: ID!) { revokeUserSession(userId: $userId, sessionId: $sessionId) }\n": typeof types.ConsoleRevokeUserSessionDocument,
    "\n  mutation ConsoleSendPasswordReset($userId: ID!) { sendPasswordReset(userId: $userId) }\n": typeof types.ConsoleSendPasswordResetDocument,
    "\n  mutation ConsoleDeleteUser($userId: ID!) { deleteUser(userId: $userId) }\n": typeof types.ConsoleDeleteUserDocument,
    "\n  mutation ConsoleUpdateUser($userId: ID!, $input: AdminUpdateUserInput!) {\n    updateUser(userId: $userId, input: $input) { ...UserDetailsFields }\n  }\n": typeof types.ConsoleUpdateUserDocument,
    "\n  mutation ConsoleCreateUser($input: AdminCreateUserInput!) { createUser(input: $input) { id username } }\n": typeof types.ConsoleCreateUserDocument,
    "\n  mutation ConsoleImpersonateUser($userId: ID!, $reason: String!) {\n    impersonateUser(userId: $userId, reason: $reason) { accessToken session { id } user { id username } }\n  }\n": typeof types.ConsoleImpersonateUserDocument,
    "\n  query ConsoleImpersonatedView {\n    me {\n      id\n      username\n      email\n      emailVerified\n      role\n      twoFactorEnabled\n      profile { name }\n      impersonatedBy { id username }\n    }\n    mySessions { id createdAt lastSeenAt userAgent current }\n  }\n": typeof types.ConsoleImpersonatedViewDocument,
    "\n  mutation ConsoleEndImpersonation { logout }\n": typeof types.ConsoleEndImpersonationDocument,
    "\n  mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }\n": typeof types.ConsoleRevokeUserSessionsDocument,
    "\n  mutation ConsoleReauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }\n": typeof types.ConsoleReauthenticateDocument,
    "\n  mutation ConsoleBeginPasskeyReauthentication { beginPasskeyReauthentication { challengeToken optionsJson } }\n": typeof types.ConsoleBeginPasskeyReauthenticationDocument,
    "\n  mutation ConsoleFinishPasskeyReauthentication($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyReauthentication(challengeToken: $challengeToken, responseJson: $responseJson) { id authenticatedAt }\n  }\n": typeof types.ConsoleFinishPasskeyReauthenticationDocument,
    "\n  mutation ConsoleBeginPasskeyLogin { beginPasskeyLogin { challengeToken optionsJson } }\n": typeof types.ConsoleBeginPasskeyLoginDocument,
    "\n  mutation ConsoleFinishPasskeyLogin($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyLogin(challengeToken: $challengeToken, responseJson: $responseJson, cookie: true) { user { id } }\n  }\n": typeof types.ConsoleFinishPasskeyLoginDocument,
    "\n  query ConsoleWebhookEndpoints { webhookEndpoints { id url events enabled createdAt } }\n": typeof types.ConsoleWebhookEndpointsDocument,
    "\n  query ConsoleWebhookDeliveries($endpointId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id eventType status attempts createdAt deliveredAt lastError } }\n    }\n  }\n": typeof types.ConsoleWebhookDeliveriesDocument,
    "\n  mutation ConsoleRedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status } }\n": typeof types.ConsoleRedeliverWebhookDocument,
    "\n  fragment OAuthClientFields on OAuthClient { id clientId name redirectUris postLogoutRedirectUris grantTypes scopes public firstParty createdAt }\n": typeof types.OAuthClientFieldsFragmentDoc,
    "\n  query ConsoleOAuthClients { oauthClients { ...OAuthClientFields } }\n": typeof types.ConsoleOAuthClientsDocument,
    "\n  mutation ConsoleCreateOAuthClient($input: OAuthClientInput!) { createOAuthClient(input: $input) { clientSecret client { ...OAuthClientFields } } }\n": typeof types.ConsoleCreateOAuthClientDocument,
    "\n  mutation ConsoleUpdateOAuthClient($id: ID!, $input: OAuthClientInput!) { updateOAuthClient(id: $id, input: $input) { ...OAuthClientFields } }\n": typeof types.ConsoleUpdateOAuthClientDocument,
    "\n  mutation ConsoleRotateOAuthClientSecret($id: ID!) { rotateOAuthClientSecret(id: $id) { clientSecret client { id } } }\n": typeof types.ConsoleRotateOAuthClientSecretDocument,
    "\n  mutation ConsoleDeleteOAuthClient($id: ID!) { deleteOAuthClient(id: $id) }\n": typeof types.ConsoleDeleteOAuthClientDocument,
    "\n  query ConsoleOrganization($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      name\n      slug\n      createdAt\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { id role createdAt user { id username email } } }\n      }\n      invitations { id email role expiresAt }\n    }\n  }\n": typeof types.ConsoleOrganizationDocument,
};
const documents: Documents = {
    "\n  query ConsoleViewer { viewer { id username role impersonatedBy { id username } } }\n": types.ConsoleViewerDocument,
    "\n  query ConsoleSearchUsers($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {\n    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id username email emailVerified role disabled createdAt lastLoginAt profile { name } }\n      }\n    }\n  }\n": types.ConsoleSearchUsersDocument,
    "\n  fragment UserDetailsFields on User {\n    id\n    username\n    email\n    pendingEmail\n    emailVerified\n    role\n    disabled\n    disabledReason\n    disabledUntil\n    createdAt\n    updatedAt\n    lastLoginAt\n    twoFactorEnabled\n    passkeyCount\n    linkedProviders\n    avatarUrl\n    profile { name contact address occupation hobby highestQualification dateOfBirth }\n  }\n": types.UserDetailsFieldsFragmentDoc,
    "\n  query ConsoleUser($id: ID!) { user(id: $id) { ...UserDetailsFields } }\n": types.ConsoleUserDocument,
    "\n  query ConsoleAuditLog($filter: AuditFilter, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId ip userAgent metadata createdAt } }\n    }\n  }\n": types.ConsoleAuditLogDocument,
    "\n  mutation ConsoleSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...UserDetailsFields } }\n": types.ConsoleSetUserRoleDocument,
    "\n  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!, $reason: String, $until: DateTime) {\n    setUserDisabled(userId: $userId, disabled: $disabled, reason: $reason, until: $until) { ...UserDetailsFields }\n  }\n": types.ConsoleSetUserDisabledDocument,
    "\n  query ConsoleUserSessions($userId: ID!) {\n    userSessions(userId: $userId) { id createdAt lastSeenAt authenticatedAt expiresAt userAgent ip current }\n  }\n": types.ConsoleUserSessionsDocument,
    "\n  subscription ConsoleUserSessionEvents($userId: ID!) { userSessionEvents(userId: $userId) { type sessionId at } }\n": types.ConsoleUserSessionEventsDocument,
    "\n  mutation ConsoleRevokeUserSession($userId: ID!, $sessionId: ID!) { revokeUserSession(userId: $userId, sessionId: $sessionId) }\n": types.ConsoleRevokeUserSessionDocument,
    "\n  mutation ConsoleSendPasswordReset($userId: ID!) { sendPasswordReset(userId: $userId) }\n": types.ConsoleSendPasswordResetDocument,
    "\n  mutation ConsoleDeleteUser($userId: ID!) { deleteUser(userId: $userId) }\n": types.ConsoleDeleteUserDocument,
    "\n  mutation ConsoleUpdateUser($userId: ID!, $input: AdminUpdateUserInput!) {\n    updateUser(userId: $userId, input: $input) { ...UserDetailsFields }\n  }\n": types.ConsoleUpdateUserDocument,
    "\n  mutation ConsoleCreateUser($input: AdminCreateUserInput!) { createUser(input: $input) { id username } }\n": types.ConsoleCreateUserDocument,
    "\n  mutation ConsoleImpersonateUser($userId: ID!, $reason: String!) {\n    impersonateUser(userId: $userId, reason: $reason) { accessToken session { id } user { id username } }\n  }\n": types.ConsoleImpersonateUserDocument,
    "\n  query ConsoleImpersonatedView {\n    me {\n      id\n      username\n      email\n      emailVerified\n      role\n      twoFactorEnabled\n      profile { name }\n      impersonatedBy { id username }\n    }\n    mySessions { id createdAt lastSeenAt userAgent current }\n  }\n": types.ConsoleImpersonatedViewDocument,
    "\n  mutation ConsoleEndImpersonation { logout }\n": types.ConsoleEndImpersonationDocument,
    "\n  mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }\n": types.ConsoleRevokeUserSessionsDocument,
    "\n  mutation ConsoleReauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }\n": types.ConsoleReauthenticateDocument,
    "\n  mutation ConsoleBeginPasskeyReauthentication { beginPasskeyReauthentication { challengeToken optionsJson } }\n": types.ConsoleBeginPasskeyReauthenticationDocument,
    "\n  mutation ConsoleFinishPasskeyReauthentication($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyReauthentication(challengeToken: $challengeToken, responseJson: $responseJson) { id authenticatedAt }\n  }\n": types.ConsoleFinishPasskeyReauthenticationDocument,
    "\n  mutation ConsoleBeginPasskeyLogin { beginPasskeyLogin { challengeToken optionsJson } }\n": types.ConsoleBeginPasskeyLoginDocument,
    "\n  mutation ConsoleFinishPasskeyLogin($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyLogin(challengeToken: $challengeToken, responseJson: $responseJson, cookie: true) { user { id } }\n  }\n": types.ConsoleFinishPasskeyLoginDocument,
    "\n  query ConsoleWebhookEndpoints { webhookEndpoints { id url events enabled createdAt } }\n": types.ConsoleWebhookEndpointsDocument,
    "\n  query ConsoleWebhookDeliveries($endpointId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id eventType status attempts createdAt deliveredAt lastError } }\n    }\n  }\n": types.ConsoleWebhookDeliveriesDocument,
    "\n  mutation ConsoleRedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status } }\n": types.ConsoleRedeliverWebhookDocument,
    "\n  fragment OAuthClientFields on OAuthClient { id clientId name redirectUris postLogoutRedirectUris grantTypes scopes public firstParty createdAt }\n": types.OAuthClientFieldsFragmentDoc,
    "\n  query ConsoleOAuthClients { oauthClients { ...OAuthClientFields } }\n": types.ConsoleOAuthClientsDocument,
    "\n  mutation ConsoleCreateOAuthClient($input: OAuthClientInput!) { createOAuthClient(input: $input) { clientSecret client { ...OAuthClientFields } } }\n": types.ConsoleCreateOAuthClientDocument,
    "\n  mutation ConsoleUpdateOAuthClient($id: ID!, $input: OAuthClientInput!) { updateOAuthClient(id: $id, input: $input) { ...OAuthClientFields } }\n": types.ConsoleUpdateOAuthClientDocument,
    "\n  mutation ConsoleRotateOAuthClientSecret($id: ID!) { rotateOAuthClientSecret(id: $id) { clientSecret client { id } } }\n": types.ConsoleRotateOAuthClientSecretDocument,
    "\n  mutation ConsoleDeleteOAuthClient($id: ID!) { deleteOAuthClient(id: $id) }\n": types.ConsoleDeleteOAuthClientDocument,
    "\n  query ConsoleOrganization($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      name\n      slug\n      createdAt\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { id role createdAt user { id username email } } }\n      }\n      invitations { id email role expiresAt }\n    }\n  }\n": types.ConsoleOrganizationDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleViewer { viewer { id username role impersonatedBy { id username } } }\n"): (typeof documents)["\n  query ConsoleViewer { viewer { id username role impersonatedBy { id username } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSearchUsers($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {\n    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id username email emailVerified role disabled createdAt lastLoginAt profile { name } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSearchUsers($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {\n    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id username email emailVerified role disabled createdAt lastLoginAt profile { name } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserDetailsFields on User {\n    id\n    username\n    email\n    pendingEmail\n    emailVerified\n    role\n    disabled\n    disabledReason\n    disabledUntil\n    createdAt\n    updatedAt\n    lastLoginAt\n    twoFactorEnabled\n    passkeyCount\n    linkedProviders\n    avatarUrl\n    profile { name contact address occupation hobby highestQualification dateOfBirth }\n  }\n"): (typeof documents)["\n  fragment UserDetailsFields on User {\n    id\n    username\n    email\n    pendingEmail\n    emailVerified\n    role\n    disabled\n    disabledReason\n    disabledUntil\n    createdAt\n    updatedAt\n    lastLoginAt\n    twoFactorEnabled\n    passkeyCount\n    linkedProviders\n    avatarUrl\n    profile { name contact address occupation hobby highestQualification dateOfBirth }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleUser($id: ID!) { user(id: $id) { ...UserDetailsFields } }\n"): (typeof documents)["\n  query ConsoleUser($id: ID!) { user(id: $id) { ...UserDetailsFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAuditLog($filter: AuditFilter, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId ip userAgent metadata createdAt } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleAuditLog($filter: AuditFilter, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId ip userAgent metadata createdAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...UserDetailsFields } }\n"): (typeof documents)["\n  mutation ConsoleSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...UserDetailsFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!, $reason: String, $until: DateTime) {\n    setUserDisabled(userId: $userId, disabled: $disabled, reason: $reason, until: $until) { ...UserDetailsFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!, $reason: String, $until: DateTime) {\n    setUserDisabled(userId: $userId, disabled: $disabled, reason: $reason, until: $until) { ...UserDetailsFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleUserSessions($userId: ID!) {\n    userSessions(userId: $userId) { id createdAt lastSeenAt authenticatedAt expiresAt userAgent ip current }\n  }\n"): (typeof documents)["\n  query ConsoleUserSessions($userId: ID!) {\n    userSessions(userId: $userId) { id createdAt lastSeenAt authenticatedAt expiresAt userAgent ip current }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleUserSessionEvents($userId: ID!) { userSessionEvents(userId: $userId) { type sessionId at } }\n"): (typeof documents)["\n  subscription ConsoleUserSessionEvents($userId: ID!) { userSessionEvents(userId: $userId) { type sessionId at } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRevokeUserSession($userId: ID!, $sessionId: ID!) { revokeUserSession(userId: $userId, sessionId: $sessionId) }\n"): (typeof documents)["\n  mutation ConsoleRevokeUserSession($userId: ID!, $sessionId: ID!) { revokeUserSession(userId: $userId, sessionId: $sessionId) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSendPasswordReset($userId: ID!) { sendPasswordReset(userId: $userId) }\n"): (typeof documents)["\n  mutation ConsoleSendPasswordReset($userId: ID!) { sendPasswordReset(userId: $userId) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDeleteUser($userId: ID!) { deleteUser(userId: $userId) }\n"): (typeof documents)["\n  mutation ConsoleDeleteUser($userId: ID!) { deleteUser(userId: $userId) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateUser($userId: ID!, $input: AdminUpdateUserInput!) {\n    updateUser(userId: $userId, input: $input) { ...UserDetailsFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleUpdateUser($userId: ID!, $input: AdminUpdateUserInput!) {\n    updateUser(userId: $userId, input: $input) { ...UserDetailsFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateUser($input: AdminCreateUserInput!) { createUser(input: $input) { id username } }\n"): (typeof documents)["\n  mutation ConsoleCreateUser($input: AdminCreateUserInput!) { createUser(input: $input) { id username } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleImpersonateUser($userId: ID!, $reason: String!) {\n    impersonateUser(userId: $userId, reason: $reason) { accessToken session { id } user { id username } }\n  }\n"): (typeof documents)["\n  mutation ConsoleImpersonateUser($userId: ID!, $reason: String!) {\n    impersonateUser(userId: $userId, reason: $reason) { accessToken session { id } user { id username } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleImpersonatedView {\n    me {\n      id\n      username\n      email\n      emailVerified\n      role\n      twoFactorEnabled\n      profile { name }\n      impersonatedBy { id username }\n    }\n    mySessions { id createdAt lastSeenAt userAgent current }\n  }\n"): (typeof documents)["\n  query ConsoleImpersonatedView {\n    me {\n      id\n      username\n      email\n      emailVerified\n      role\n      twoFactorEnabled\n      profile { name }\n      impersonatedBy { id username }\n    }\n    mySessions { id createdAt lastSeenAt userAgent current }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleEndImpersonation { logout }\n"): (typeof documents)["\n  mutation ConsoleEndImpersonation { logout }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }\n"): (typeof documents)["\n  mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleReauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }\n"): (typeof documents)["\n  mutation ConsoleReauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleBeginPasskeyReauthentication { beginPasskeyReauthentication { challengeToken optionsJson } }\n"): (typeof documents)["\n  mutation ConsoleBeginPasskeyReauthentication { beginPasskeyReauthentication { challengeToken optionsJson } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleFinishPasskeyReauthentication($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyReauthentication(challengeToken: $challengeToken, responseJson: $responseJson) { id authenticatedAt }\n  }\n"): (typeof documents)["\n  mutation ConsoleFinishPasskeyReauthentication($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyReauthentication(challengeToken: $challengeToken, responseJson: $responseJson) { id authenticatedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleBeginPasskeyLogin { beginPasskeyLogin { challengeToken optionsJson } }\n"): (typeof documents)["\n  mutation ConsoleBeginPasskeyLogin { beginPasskeyLogin { challengeToken optionsJson } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleFinishPasskeyLogin($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyLogin(challengeToken: $challengeToken, responseJson: $responseJson, cookie: true) { user { id } }\n  }\n"): (typeof documents)["\n  mutation ConsoleFinishPasskeyLogin($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyLogin(challengeToken: $challengeToken, responseJson: $responseJson, cookie: true) { user { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleWebhookEndpoints { webhookEndpoints { id url events enabled createdAt } }\n"): (typeof documents)["\n  query ConsoleWebhookEndpoints { webhookEndpoints { id url events enabled createdAt } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleWebhookDeliveries($endpointId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id eventType status attempts createdAt deliveredAt lastError } }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleWebhookDeliveries($endpointId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id eventType status attempts createdAt deliveredAt lastError } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status } }\n"): (typeof documents)["\n  mutation ConsoleRedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OAuthClientFields on OAuthClient { id clientId name redirectUris postLogoutRedirectUris grantTypes scopes public firstParty createdAt }\n"): (typeof documents)["\n  fragment OAuthClientFields on OAuthClient { id clientId name redirectUris postLogoutRedirectUris grantTypes scopes public firstParty createdAt }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleOAuthClients { oauthClients { ...OAuthClientFields } }\n"): (typeof documents)["\n  query ConsoleOAuthClients { oauthClients { ...OAuthClientFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateOAuthClient($input: OAuthClientInput!) { createOAuthClient(input: $input) { clientSecret client { ...OAuthClientFields } } }\n"): (typeof documents)["\n  mutation ConsoleCreateOAuthClient($input: OAuthClientInput!) { createOAuthClient(input: $input) { clientSecret client { ...OAuthClientFields } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateOAuthClient($id: ID!, $input: OAuthClientInput!) { updateOAuthClient(id: $id, input: $input) { ...OAuthClientFields } }\n"): (typeof documents)["\n  mutation ConsoleUpdateOAuthClient($id: ID!, $input: OAuthClientInput!) { updateOAuthClient(id: $id, input: $input) { ...OAuthClientFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRotateOAuthClientSecret($id: ID!) { rotateOAuthClientSecret(id: $id) { clientSecret client { id } } }\n"): (typeof documents)["\n  mutation ConsoleRotateOAuthClientSecret($id: ID!) { rotateOAuthClientSecret(id: $id) { clientSecret client { id } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDeleteOAuthClient($id: ID!) { deleteOAuthClient(id: $id) }\n"): (typeof documents)["\n  mutation ConsoleDeleteOAuthClient($id: ID!) { deleteOAuthClient(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleOrganization($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      name\n      slug\n      createdAt\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { id role createdAt user { id username email } } }\n      }\n      invitations { id email role expiresAt }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleOrganization($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      name\n      slug\n      createdAt\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { id role createdAt user { id username email } } }\n      }\n      invitations { id email role expiresAt }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;