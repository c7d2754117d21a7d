import { graphql } from "./gql";

// Every operation the app sends. `npm run codegen` (at the repository root) turns these into
// typed documents in ./gql, checked against the server's schema.graphql.

export const ViewerFields = graphql(`
  fragment ViewerFields on User {
    id
    username
    email
    emailVerified
    role
    avatarUrl
    twoFactorEnabled
    profile { name occupation hobby contact }
  }
`);

// viewer: null when signed out (no error); an expired session is refreshed by @latchkey/client's link.
export const ViewerQuery = graphql(`
  query Viewer { viewer { ...ViewerFields } }
`);

export const RegisterMutation = graphql(`
  mutation Register($input: RegisterInput!) { register(input: $input) { userId } }
`);

// Sign-in and its two-factor step come typed from @latchkey/client (useSignIn).

export const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ...ViewerFields } }
`);

export const UploadAvatarMutation = graphql(`
  mutation UploadAvatar($file: Upload!) { uploadAvatar(file: $file) { id avatarUrl } }
`);

export const RemoveAvatarMutation = graphql(`
  mutation RemoveAvatar { removeAvatar { id avatarUrl } }
`);

export const MySessionsQuery = graphql(`
  query MySessions { mySessions { id createdAt lastSeenAt userAgent ip current } }
`);

export const RevokeSessionMutation = graphql(`
  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }
`);

export const BeginTotpEnrollmentMutation = graphql(`
  mutation BeginTotpEnrollment { beginTotpEnrollment { secret otpauthUrl qrCodeDataUrl } }
`);

export const ConfirmTwoFactorEnrollmentMutation = graphql(`
  mutation ConfirmTwoFactorEnrollment($code: String!) { confirmTwoFactorEnrollment(code: $code) { codes } }
`);

export const DisableTwoFactorMutation = graphql(`
  mutation DisableTwoFactor($code: String!) { disableTwoFactor(code: $code) }
`);
