import { Field, InputType } from "type-graphql";
import { DateTime } from "../graphql/scalars";

/**
 * The personal details both updateProfile and an ADMIN's updateUser change, with the same rules.
 * Its fields are inherited by the two input types.
 */
@InputType({ description: "The personal details of an account: the fields updateProfile and updateUser share." })
export abstract class ProfileFieldsInput {
  @Field(() => String, { nullable: true, description: "The name the person goes by, at most 100 characters." }) name?: string | null;
  @Field(() => String, { nullable: true, description: "How to reach the person, such as a phone number; at most 100 characters." })
  contact?: string | null;
  @Field(() => String, { nullable: true, description: "A postal address, at most 300 characters; line breaks are kept." }) address?: string | null;
  @Field(() => String, { nullable: true, description: "What the person does for a living, at most 100 characters." }) occupation?: string | null;
  @Field(() => String, { nullable: true, description: "A pastime the person enjoys, at most 100 characters." }) hobby?: string | null;
  @Field(() => String, { nullable: true, description: "The person's highest degree or qualification, at most 150 characters." })
  highestQualification?: string | null;
  @Field(() => DateTime, { nullable: true, description: "The date of birth: not before 1900-01-01 and not in the future." })
  dateOfBirth?: Date | null;
}

// Every field is optional: a field left out stays as it is, null clears it. The rules live in
// ProfileService (profile-rules.ts, identity-rules.ts).
@InputType({
  description:
    "Changes to the signed-in user's account and profile. A field left out stays as it is; null clears it (see username and email for their exceptions). Text is trimmed, and an empty profile text counts as null; control and invisible formatting characters are refused with BAD_USER_INPUT naming the field.",
})
export class UpdateProfileInput extends ProfileFieldsInput {
  @Field(() => String, {
    nullable: true,
    description: "A new unique sign-in name: 3 to 32 letters, digits, '.', '_' or '-' (CONFLICT when taken). It cannot be cleared.",
  })
  username?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "A new address becomes pendingEmail until the link mailed to it is confirmed (confirmEmailChange); null removes an unverified address, while a verified one can be replaced but not removed. Needs a recent authentication (FORBIDDEN with extensions.reason REAUTHENTICATION_REQUIRED otherwise); CONFLICT when another account has the address; RATE_LIMITED beyond RATE_LIMIT_EMAIL_CHANGE (default 5 an hour).",
  })
  email?: string | null;
}
