import { graphql } from "./gql";

// The mutations behind the pages the mailed links open (reset password, verify e-mail, confirm
// an e-mail change). None needs a signed-in user: the token from the link is the proof.

export const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }
`);

export const VerifyEmailMutation = graphql(`
  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id emailVerified } }
`);

export const ConfirmEmailChangeMutation = graphql(`
  mutation ConfirmEmailChange($token: String!) { confirmEmailChange(token: $token) { id emailVerified } }
`);
