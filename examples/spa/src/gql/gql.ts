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
    "\n  mutation RequestEmailCode($email: String!) { requestEmailCode(email: $email) { challengeToken expiresAt codeLength } }\n": typeof types.RequestEmailCodeDocument,
    "\n  mutation SignInWithEmailCode($challengeToken: String!, $code: String!) {\n    signInWithEmailCode(challengeToken: $challengeToken, code: $code, cookie: true) {\n      __typename\n      ... on AuthPayload { user { id } }\n      ... on TwoFactorChallenge { challengeToken methods expiresAt }\n    }\n  }\n": typeof types.SignInWithEmailCodeDocument,
    "\n  mutation RequestMagicLink($email: String!, $redirectUri: String) { requestMagicLink(email: $email, redirectUri: $redirectUri) }\n": typeof types.RequestMagicLinkDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }\n": typeof types.ResetPasswordDocument,
    "\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id emailVerified } }\n": typeof types.VerifyEmailDocument,
    "\n  mutation ConfirmEmailChange($token: String!) { confirmEmailChange(token: $token) { id emailVerified } }\n": typeof types.ConfirmEmailChangeDocument,
    "\n  fragment ViewerFields on User {\n    id\n    username\n    email\n    emailVerified\n    role\n    avatarUrl\n    twoFactorEnabled\n    profile { name occupation hobby contact }\n  }\n": typeof types.ViewerFieldsFragmentDoc,
    "\n  query Viewer { viewer { ...ViewerFields } }\n": typeof types.ViewerDocument,
    "\n  mutation Register($input: RegisterInput!) { register(input: $input) { userId } }\n": typeof types.RegisterDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ...ViewerFields } }\n": typeof types.UpdateProfileDocument,
    "\n  mutation UploadAvatar($file: Upload!) { uploadAvatar(file: $file) { id avatarUrl } }\n": typeof types.UploadAvatarDocument,
    "\n  mutation RemoveAvatar { removeAvatar { id avatarUrl } }\n": typeof types.RemoveAvatarDocument,
    "\n  query MySessions { mySessions { id createdAt lastSeenAt userAgent ip current } }\n": typeof types.MySessionsDocument,
    "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n": typeof types.RevokeSessionDocument,
    "\n  mutation BeginTotpEnrollment { beginTotpEnrollment { secret otpauthUrl qrCodeDataUrl } }\n": typeof types.BeginTotpEnrollmentDocument,
    "\n  mutation ConfirmTwoFactorEnrollment($code: String!) { confirmTwoFactorEnrollment(code: $code) { codes } }\n": typeof types.ConfirmTwoFactorEnrollmentDocument,
    "\n  mutation DisableTwoFactor($code: String!) { disableTwoFactor(code: $code) }\n": typeof types.DisableTwoFactorDocument,
    "\n  query MyOrganizations {\n    viewer {\n      id\n      organizations { id role organization { id name slug } }\n    }\n  }\n": typeof types.MyOrganizationsDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) { id name slug viewerRole }\n  }\n": typeof types.CreateOrganizationDocument,
    "\n  query Organization($id: ID!) {\n    organization(id: $id) { id name slug createdAt viewerRole }\n  }\n": typeof types.OrganizationDocument,
    "\n  query OrganizationMembers($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { id role createdAt user { id username } } }\n      }\n      invitations { id email role expiresAt }\n    }\n  }\n": typeof types.OrganizationMembersDocument,
    "\n  mutation InviteMember($organizationId: ID!, $email: String!, $role: OrganizationRole!) {\n    inviteMember(organizationId: $organizationId, email: $email, role: $role) { id email role expiresAt }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation ResendInvitation($id: ID!) { resendInvitation(id: $id) { id email role expiresAt } }\n": typeof types.ResendInvitationDocument,
    "\n  mutation SetMemberRole($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {\n    setMemberRole(organizationId: $organizationId, userId: $userId, role: $role) { id role }\n  }\n": typeof types.SetMemberRoleDocument,
    "\n  mutation RemoveMember($organizationId: ID!, $userId: ID!) { removeMember(organizationId: $organizationId, userId: $userId) }\n": typeof types.RemoveMemberDocument,
    "\n  mutation LeaveOrganization($organizationId: ID!) { leaveOrganization(organizationId: $organizationId) }\n": typeof types.LeaveOrganizationDocument,
    "\n  mutation SetActiveOrganization($id: ID) { setActiveOrganization(id: $id) { id activeOrganization { id } } }\n": typeof types.SetActiveOrganizationDocument,
    "\n  mutation AcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { id role organization { id name slug } }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  query ActiveOrganization { mySessions { id current activeOrganization { id } } }\n": typeof types.ActiveOrganizationDocument,
};
const documents: Documents = {
    "\n  mutation RequestEmailCode($email: String!) { requestEmailCode(email: $email) { challengeToken expiresAt codeLength } }\n": types.RequestEmailCodeDocument,
    "\n  mutation SignInWithEmailCode($challengeToken: String!, $code: String!) {\n    signInWithEmailCode(challengeToken: $challengeToken, code: $code, cookie: true) {\n      __typename\n      ... on AuthPayload { user { id } }\n      ... on TwoFactorChallenge { challengeToken methods expiresAt }\n    }\n  }\n": types.SignInWithEmailCodeDocument,
    "\n  mutation RequestMagicLink($email: String!, $redirectUri: String) { requestMagicLink(email: $email, redirectUri: $redirectUri) }\n": types.RequestMagicLinkDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }\n": types.ResetPasswordDocument,
    "\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id emailVerified } }\n": types.VerifyEmailDocument,
    "\n  mutation ConfirmEmailChange($token: String!) { confirmEmailChange(token: $token) { id emailVerified } }\n": types.ConfirmEmailChangeDocument,
    "\n  fragment ViewerFields on User {\n    id\n    username\n    email\n    emailVerified\n    role\n    avatarUrl\n    twoFactorEnabled\n    profile { name occupation hobby contact }\n  }\n": types.ViewerFieldsFragmentDoc,
    "\n  query Viewer { viewer { ...ViewerFields } }\n": types.ViewerDocument,
    "\n  mutation Register($input: RegisterInput!) { register(input: $input) { userId } }\n": types.RegisterDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ...ViewerFields } }\n": types.UpdateProfileDocument,
    "\n  mutation UploadAvatar($file: Upload!) { uploadAvatar(file: $file) { id avatarUrl } }\n": types.UploadAvatarDocument,
    "\n  mutation RemoveAvatar { removeAvatar { id avatarUrl } }\n": types.RemoveAvatarDocument,
    "\n  query MySessions { mySessions { id createdAt lastSeenAt userAgent ip current } }\n": types.MySessionsDocument,
    "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n": types.RevokeSessionDocument,
    "\n  mutation BeginTotpEnrollment { beginTotpEnrollment { secret otpauthUrl qrCodeDataUrl } }\n": types.BeginTotpEnrollmentDocument,
    "\n  mutation ConfirmTwoFactorEnrollment($code: String!) { confirmTwoFactorEnrollment(code: $code) { codes } }\n": types.ConfirmTwoFactorEnrollmentDocument,
    "\n  mutation DisableTwoFactor($code: String!) { disableTwoFactor(code: $code) }\n": types.DisableTwoFactorDocument,
    "\n  query MyOrganizations {\n    viewer {\n      id\n      organizations { id role organization { id name slug } }\n    }\n  }\n": types.MyOrganizationsDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) { id name slug viewerRole }\n  }\n": types.CreateOrganizationDocument,
    "\n  query Organization($id: ID!) {\n    organization(id: $id) { id name slug createdAt viewerRole }\n  }\n": types.OrganizationDocument,
    "\n  query OrganizationMembers($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { id role createdAt user { id username } } }\n      }\n      invitations { id email role expiresAt }\n    }\n  }\n": types.OrganizationMembersDocument,
    "\n  mutation InviteMember($organizationId: ID!, $email: String!, $role: OrganizationRole!) {\n    inviteMember(organizationId: $organizationId, email: $email, role: $role) { id email role expiresAt }\n  }\n": types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) }\n": types.RevokeInvitationDocument,
    "\n  mutation ResendInvitation($id: ID!) { resendInvitation(id: $id) { id email role expiresAt } }\n": types.ResendInvitationDocument,
    "\n  mutation SetMemberRole($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {\n    setMemberRole(organizationId: $organizationId, userId: $userId, role: $role) { id role }\n  }\n": types.SetMemberRoleDocument,
    "\n  mutation RemoveMember($organizationId: ID!, $userId: ID!) { removeMember(organizationId: $organizationId, userId: $userId) }\n": types.RemoveMemberDocument,
    "\n  mutation LeaveOrganization($organizationId: ID!) { leaveOrganization(organizationId: $organizationId) }\n": types.LeaveOrganizationDocument,
    "\n  mutation SetActiveOrganization($id: ID) { setActiveOrganization(id: $id) { id activeOrganization { id } } }\n": types.SetActiveOrganizationDocument,
    "\n  mutation AcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { id role organization { id name slug } }\n  }\n": types.AcceptInvitationDocument,
    "\n  query ActiveOrganization { mySessions { id current activeOrganization { id } } }\n": types.ActiveOrganizationDocument,
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
export function graphql(source: "\n  mutation RequestEmailCode($email: String!) { requestEmailCode(email: $email) { challengeToken expiresAt codeLength } }\n"): (typeof documents)["\n  mutation RequestEmailCode($email: String!) { requestEmailCode(email: $email) { challengeToken expiresAt codeLength } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignInWithEmailCode($challengeToken: String!, $code: String!) {\n    signInWithEmailCode(challengeToken: $challengeToken, code: $code, cookie: true) {\n      __typename\n      ... on AuthPayload { user { id } }\n      ... on TwoFactorChallenge { challengeToken methods expiresAt }\n    }\n  }\n"): (typeof documents)["\n  mutation SignInWithEmailCode($challengeToken: String!, $code: String!) {\n    signInWithEmailCode(challengeToken: $challengeToken, code: $code, cookie: true) {\n      __typename\n      ... on AuthPayload { user { id } }\n      ... on TwoFactorChallenge { challengeToken methods expiresAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestMagicLink($email: String!, $redirectUri: String) { requestMagicLink(email: $email, redirectUri: $redirectUri) }\n"): (typeof documents)["\n  mutation RequestMagicLink($email: String!, $redirectUri: String) { requestMagicLink(email: $email, redirectUri: $redirectUri) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }\n"): (typeof documents)["\n  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id emailVerified } }\n"): (typeof documents)["\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id emailVerified } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmEmailChange($token: String!) { confirmEmailChange(token: $token) { id emailVerified } }\n"): (typeof documents)["\n  mutation ConfirmEmailChange($token: String!) { confirmEmailChange(token: $token) { id emailVerified } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ViewerFields on User {\n    id\n    username\n    email\n    emailVerified\n    role\n    avatarUrl\n    twoFactorEnabled\n    profile { name occupation hobby contact }\n  }\n"): (typeof documents)["\n  fragment ViewerFields on User {\n    id\n    username\n    email\n    emailVerified\n    role\n    avatarUrl\n    twoFactorEnabled\n    profile { name occupation hobby contact }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer { viewer { ...ViewerFields } }\n"): (typeof documents)["\n  query Viewer { viewer { ...ViewerFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) { register(input: $input) { userId } }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) { register(input: $input) { userId } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ...ViewerFields } }\n"): (typeof documents)["\n  mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ...ViewerFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadAvatar($file: Upload!) { uploadAvatar(file: $file) { id avatarUrl } }\n"): (typeof documents)["\n  mutation UploadAvatar($file: Upload!) { uploadAvatar(file: $file) { id avatarUrl } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveAvatar { removeAvatar { id avatarUrl } }\n"): (typeof documents)["\n  mutation RemoveAvatar { removeAvatar { id avatarUrl } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessions { mySessions { id createdAt lastSeenAt userAgent ip current } }\n"): (typeof documents)["\n  query MySessions { mySessions { id createdAt lastSeenAt userAgent ip current } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n"): (typeof documents)["\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginTotpEnrollment { beginTotpEnrollment { secret otpauthUrl qrCodeDataUrl } }\n"): (typeof documents)["\n  mutation BeginTotpEnrollment { beginTotpEnrollment { secret otpauthUrl qrCodeDataUrl } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTwoFactorEnrollment($code: String!) { confirmTwoFactorEnrollment(code: $code) { codes } }\n"): (typeof documents)["\n  mutation ConfirmTwoFactorEnrollment($code: String!) { confirmTwoFactorEnrollment(code: $code) { codes } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTwoFactor($code: String!) { disableTwoFactor(code: $code) }\n"): (typeof documents)["\n  mutation DisableTwoFactor($code: String!) { disableTwoFactor(code: $code) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrganizations {\n    viewer {\n      id\n      organizations { id role organization { id name slug } }\n    }\n  }\n"): (typeof documents)["\n  query MyOrganizations {\n    viewer {\n      id\n      organizations { id role organization { id name slug } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) { id name slug viewerRole }\n  }\n"): (typeof documents)["\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) { id name slug viewerRole }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Organization($id: ID!) {\n    organization(id: $id) { id name slug createdAt viewerRole }\n  }\n"): (typeof documents)["\n  query Organization($id: ID!) {\n    organization(id: $id) { id name slug createdAt viewerRole }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationMembers($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { id role createdAt user { id username } } }\n      }\n      invitations { id email role expiresAt }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationMembers($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      members(first: $first, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { cursor node { id role createdAt user { id username } } }\n      }\n      invitations { id email role expiresAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($organizationId: ID!, $email: String!, $role: OrganizationRole!) {\n    inviteMember(organizationId: $organizationId, email: $email, role: $role) { id email role expiresAt }\n  }\n"): (typeof documents)["\n  mutation InviteMember($organizationId: ID!, $email: String!, $role: OrganizationRole!) {\n    inviteMember(organizationId: $organizationId, email: $email, role: $role) { id email role expiresAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) }\n"): (typeof documents)["\n  mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResendInvitation($id: ID!) { resendInvitation(id: $id) { id email role expiresAt } }\n"): (typeof documents)["\n  mutation ResendInvitation($id: ID!) { resendInvitation(id: $id) { id email role expiresAt } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetMemberRole($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {\n    setMemberRole(organizationId: $organizationId, userId: $userId, role: $role) { id role }\n  }\n"): (typeof documents)["\n  mutation SetMemberRole($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {\n    setMemberRole(organizationId: $organizationId, userId: $userId, role: $role) { id role }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($organizationId: ID!, $userId: ID!) { removeMember(organizationId: $organizationId, userId: $userId) }\n"): (typeof documents)["\n  mutation RemoveMember($organizationId: ID!, $userId: ID!) { removeMember(organizationId: $organizationId, userId: $userId) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeaveOrganization($organizationId: ID!) { leaveOrganization(organizationId: $organizationId) }\n"): (typeof documents)["\n  mutation LeaveOrganization($organizationId: ID!) { leaveOrganization(organizationId: $organizationId) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetActiveOrganization($id: ID) { setActiveOrganization(id: $id) { id activeOrganization { id } } }\n"): (typeof documents)["\n  mutation SetActiveOrganization($id: ID) { setActiveOrganization(id: $id) { id activeOrganization { id } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { id role organization { id name slug } }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { id role organization { id name slug } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ActiveOrganization { mySessions { id current activeOrganization { id } } }\n"): (typeof documents)["\n  query ActiveOrganization { mySessions { id current activeOrganization { id } } }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;