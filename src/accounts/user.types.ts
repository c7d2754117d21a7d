import { Field, ID, ObjectType } from "type-graphql";
import { Role, SignInMethod } from "../graphql/enums";
import { DateTime } from "../graphql/scalars";

@ObjectType({
  description: "Personal details the user chose to give, set with updateProfile or generateFakeProfile. Every field is null until set.",
})
export class Profile {
  @Field(() => String, { nullable: true, description: "The name the person goes by, at most 100 characters." }) name!: string | null;
  @Field(() => String, { nullable: true, description: "How to reach the person, such as a phone number; at most 100 characters." })
  contact!: string | null;
  @Field(() => String, { nullable: true, description: "A postal address, at most 300 characters; the one profile field that may span several lines." })
  address!: string | null;
  @Field(() => String, { nullable: true, description: "What the person does for a living, at most 100 characters." }) occupation!: string | null;
  @Field(() => String, { nullable: true, description: "A pastime the person enjoys, at most 100 characters." }) hobby!: string | null;
  @Field(() => String, { nullable: true, description: "The person's highest degree or qualification, at most 150 characters." })
  highestQualification!: string | null;
  @Field(() => DateTime, { nullable: true, description: "The date of birth: not before 1900-01-01 and not in the future." }) dateOfBirth!: Date | null;
}

/** A user account. email, avatarUrl, twoFactorEnabled, lastLoginAt and profile come from UserFieldsResolver. */
@ObjectType({
  description:
    "A user account, as its owner, a MODERATOR or an ADMIN reads it. The fields about how it signs in and its security state (email, pendingEmail, linkedProviders, passkeys, twoFactorEnabled, lastLoginAt, lastSignInMethod) show each reader only what the field says.",
})
export class User {
  @Field(() => ID, { description: "The account's permanent identifier, a UUID; login also accepts it as the identifier." }) id!: string;
  @Field(() => String, {
    description: "The unique sign-in name: 3 to 32 letters, digits, '.', '_' or '-', unique regardless of letter case.",
  })
  username!: string;
  @Field(() => Boolean, {
    description:
      "Whether the owner proved the address in email by following the link mailed to it. Until then the address is only a claim: the account cannot add passkeys or link sign-in providers, and password reset mails do not go to it (by default).",
  })
  emailVerified!: boolean;
  @Field(() => Role, { description: "What the account may do. An ADMIN changes it with setUserRole; it applies from the next request." })
  role!: Role;
  /** Exposed by UserFieldsResolver: a timed ban past its end reads as enabled. */
  disabled!: boolean;
  disabledReason!: string | null;
  disabledUntil!: Date | null;
  @Field(() => DateTime, { description: "When the account was registered." }) createdAt!: Date;
  @Field(() => DateTime, { description: "When the account last changed." }) updatedAt!: Date;
  /** Exposed by UserFieldsResolver (hidden from a MODERATOR for an ADMIN account). */
  lastLoginAt!: Date | null;
  /** Exposed by UserFieldsResolver, like lastLoginAt. */
  lastSignInMethod!: SignInMethod | null;
}
