import { Field, InputType } from "type-graphql";
import { DateTime } from "../graphql/scalars";

// Every field is optional: a field left out stays as it is, null clears it. The rules live in
// ProfileService (profile-rules.ts, identity-rules.ts).
@InputType()
export class UpdateProfileInput {
  @Field(() => String, { nullable: true }) username?: string | null;
  @Field(() => String, { nullable: true, description: "A new address becomes pendingEmail until the link mailed to it is confirmed (confirmEmailChange); null removes an unverified address" }) email?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) contact?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => String, { nullable: true }) occupation?: string | null;
  @Field(() => String, { nullable: true }) hobby?: string | null;
  @Field(() => String, { nullable: true }) highestQualification?: string | null;
  @Field(() => DateTime, { nullable: true }) dateOfBirth?: Date | null;
}
