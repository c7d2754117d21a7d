import { createUnionType } from "type-graphql";
import { AuthPayload } from "../sessions/session.type";
import { TwoFactorChallenge } from "./two-factor-challenge.type";

export const LoginResult = createUnionType({
  name: "LoginResult",
  types: () => [AuthPayload, TwoFactorChallenge] as const,
  resolveType: (value) => ("challengeToken" in value ? TwoFactorChallenge : AuthPayload),
});
