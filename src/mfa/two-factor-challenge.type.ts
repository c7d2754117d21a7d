import { Field, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import { TwoFactorMethod } from "../graphql/enums";

/** Returned by login instead of tokens when the account has two-factor authentication on. */
@ObjectType()
export class TwoFactorChallenge {
  @Field(() => String) challengeToken!: string;
  @Field(() => [TwoFactorMethod]) methods!: TwoFactorMethod[];
  @Field(() => DateTime) expiresAt!: Date;
}
