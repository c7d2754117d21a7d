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
};
const documents: Documents = {
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;