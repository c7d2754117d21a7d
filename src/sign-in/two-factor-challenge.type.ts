import { Field, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import { TwoFactorMethod } from "../graphql/enums";
import type { TwoFactorChallengeData } from "./two-factor-challenge.service";

/** Returned by login instead of tokens when the account has two-factor authentication on. */
@ObjectType()
export class TwoFactorChallenge {
  @Field(() => String) challengeToken!: string;
  @Field(() => [TwoFactorMethod]) methods!: TwoFactorMethod[];
  @Field(() => DateTime) expiresAt!: Date;
}

export function toTwoFactorChallenge(data: TwoFactorChallengeData): TwoFactorChallenge {
  return { challengeToken: data.challengeToken, methods: data.methods.map((method) => TwoFactorMethod[method]), expiresAt: data.expiresAt };
}
