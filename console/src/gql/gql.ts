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
    "\n  query ConsoleViewer { viewer { id username role } }\n": typeof types.ConsoleViewerDocument,
    "\n  query ConsoleSearchUsers($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {\n    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id username email emailVerified role disabled createdAt lastLoginAt profile { name } }\n      }\n    }\n  }\n": typeof types.ConsoleSearchUsersDocument,
    "\n  fragment UserDetailsFields on User {\n    id\n    username\n    email\n    pendingEmail\n    emailVerified\n    role\n    disabled\n    createdAt\n    updatedAt\n    lastLoginAt\n    twoFactorEnabled\n    linkedProviders\n    avatarUrl\n    profile { name contact address occupation hobby highestQualification dateOfBirth }\n  }\n": typeof types.UserDetailsFieldsFragmentDoc,
    "\n  query ConsoleUser($id: ID!) { user(id: $id) { ...UserDetailsFields } }\n": typeof types.ConsoleUserDocument,
    "\n  query ConsoleAuditLog($filter: AuditFilter, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId ip userAgent metadata createdAt } }\n    }\n  }\n": typeof types.ConsoleAuditLogDocument,
    "\n  mutation ConsoleSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...UserDetailsFields } }\n": typeof types.ConsoleSetUserRoleDocument,
    "\n  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) { ...UserDetailsFields }\n  }\n": typeof types.ConsoleSetUserDisabledDocument,
    "\n  mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }\n": typeof types.ConsoleRevokeUserSessionsDocument,
    "\n  mutation ConsoleReauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }\n": typeof types.ConsoleReauthenticateDocument,
    "\n  mutation ConsoleBeginPasskeyLogin { beginPasskeyLogin { challengeToken optionsJson } }\n": typeof types.ConsoleBeginPasskeyLoginDocument,
    "\n  mutation ConsoleFinishPasskeyLogin($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyLogin(challengeToken: $challengeToken, responseJson: $responseJson, cookie: true) { user { id } }\n  }\n": typeof types.ConsoleFinishPasskeyLoginDocument,
    "\n  query ConsoleWebhookEndpoints { webhookEndpoints { id url events enabled createdAt } }\n": typeof types.ConsoleWebhookEndpointsDocument,
    "\n  query ConsoleWebhookDeliveries($endpointId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id eventType status attempts createdAt deliveredAt lastError } }\n    }\n  }\n": typeof types.ConsoleWebhookDeliveriesDocument,
    "\n  mutation ConsoleRedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status } }\n": typeof types.ConsoleRedeliverWebhookDocument,
};
const documents: Documents = {
    "\n  query ConsoleViewer { viewer { id username role } }\n": types.ConsoleViewerDocument,
    "\n  query ConsoleSearchUsers($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {\n    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id username email emailVerified role disabled createdAt lastLoginAt profile { name } }\n      }\n    }\n  }\n": types.ConsoleSearchUsersDocument,
    "\n  fragment UserDetailsFields on User {\n    id\n    username\n    email\n    pendingEmail\n    emailVerified\n    role\n    disabled\n    createdAt\n    updatedAt\n    lastLoginAt\n    twoFactorEnabled\n    linkedProviders\n    avatarUrl\n    profile { name contact address occupation hobby highestQualification dateOfBirth }\n  }\n": types.UserDetailsFieldsFragmentDoc,
    "\n  query ConsoleUser($id: ID!) { user(id: $id) { ...UserDetailsFields } }\n": types.ConsoleUserDocument,
    "\n  query ConsoleAuditLog($filter: AuditFilter, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id type userId actorId ip userAgent metadata createdAt } }\n    }\n  }\n": types.ConsoleAuditLogDocument,
    "\n  mutation ConsoleSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...UserDetailsFields } }\n": types.ConsoleSetUserRoleDocument,
    "\n  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) { ...UserDetailsFields }\n  }\n": types.ConsoleSetUserDisabledDocument,
    "\n  mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }\n": types.ConsoleRevokeUserSessionsDocument,
    "\n  mutation ConsoleReauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }\n": types.ConsoleReauthenticateDocument,
    "\n  mutation ConsoleBeginPasskeyLogin { beginPasskeyLogin { challengeToken optionsJson } }\n": types.ConsoleBeginPasskeyLoginDocument,
    "\n  mutation ConsoleFinishPasskeyLogin($challengeToken: String!, $responseJson: String!) {\n    finishPasskeyLogin(challengeToken: $challengeToken, responseJson: $responseJson, cookie: true) { user { id } }\n  }\n": types.ConsoleFinishPasskeyLoginDocument,
    "\n  query ConsoleWebhookEndpoints { webhookEndpoints { id url events enabled createdAt } }\n": types.ConsoleWebhookEndpointsDocument,
    "\n  query ConsoleWebhookDeliveries($endpointId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id eventType status attempts createdAt deliveredAt lastError } }\n    }\n  }\n": types.ConsoleWebhookDeliveriesDocument,
    "\n  mutation ConsoleRedeliverWebhook($deliveryId: ID!) { redeliverWebhook(deliveryId: $deliveryId) { id status } }\n": types.ConsoleRedeliverWebhookDocument,
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
export function graphql(source: "\n  query ConsoleViewer { viewer { id username role } }\n"): (typeof documents)["\n  query ConsoleViewer { viewer { id username role } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSearchUsers($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {\n    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id username email emailVerified role disabled createdAt lastLoginAt profile { name } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSearchUsers($filter: UserSearchFilter, $orderBy: UserOrder, $first: Int, $after: String) {\n    searchUsers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id username email emailVerified role disabled createdAt lastLoginAt profile { name } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserDetailsFields on User {\n    id\n    username\n    email\n    pendingEmail\n    emailVerified\n    role\n    disabled\n    createdAt\n    updatedAt\n    lastLoginAt\n    twoFactorEnabled\n    linkedProviders\n    avatarUrl\n    profile { name contact address occupation hobby highestQualification dateOfBirth }\n  }\n"): (typeof documents)["\n  fragment UserDetailsFields on User {\n    id\n    username\n    email\n    pendingEmail\n    emailVerified\n    role\n    disabled\n    createdAt\n    updatedAt\n    lastLoginAt\n    twoFactorEnabled\n    linkedProviders\n    avatarUrl\n    profile { name contact address occupation hobby highestQualification dateOfBirth }\n  }\n"];
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
export function graphql(source: "\n  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) { ...UserDetailsFields }\n  }\n"): (typeof documents)["\n  mutation ConsoleSetUserDisabled($userId: ID!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) { ...UserDetailsFields }\n  }\n"];
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;