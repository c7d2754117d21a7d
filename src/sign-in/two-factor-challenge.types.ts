import { Field, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import { TwoFactorMethod } from "../graphql/enums";
import type { TwoFactorChallengeData } from "./two-factor-challenge.service";

/** Returned by login instead of tokens when the account has two-factor authentication on. */
@ObjectType({
  description:
    "The first sign-in step (password or provider) succeeded and the account has two-factor authentication on: no tokens yet. Send a code with this challenge to verifyTwoFactorLogin.",
})
export class TwoFactorChallenge {
  @Field(() => String, {
    description: "The secret, single-use token that stands for the first step in verifyTwoFactorLogin. Keep it out of logs and URLs.",
  })
  challengeToken!: string;
  @Field(() => [TwoFactorMethod], { description: "The codes accepted: the user's method (TOTP or HOTP) and RECOVERY_CODE." })
  methods!: TwoFactorMethod[];
  @Field(() => DateTime, {
    description: "When the challenge expires, 5 minutes after the first step. A wrong code does not consume it; the fifth wrong code does.",
  })
  expiresAt!: Date;
}

export function toTwoFactorChallenge(data: TwoFactorChallengeData): TwoFactorChallenge {
  return { challengeToken: data.challengeToken, methods: data.methods.map((method) => TwoFactorMethod[method]), expiresAt: data.expiresAt };
}
