import { createUnionType } from "type-graphql";
import { AuthPayload } from "../sessions";
import { TwoFactorChallenge } from "./two-factor-challenge.types";

export const LoginResult = createUnionType({
  name: "LoginResult",
  description:
    "What a first sign-in step answers: the tokens (AuthPayload), or, when the account has two-factor authentication on, a TwoFactorChallenge for verifyTwoFactorLogin.",
  types: () => [AuthPayload, TwoFactorChallenge] as const,
  resolveType: (value) => ("challengeToken" in value ? TwoFactorChallenge : AuthPayload),
});
