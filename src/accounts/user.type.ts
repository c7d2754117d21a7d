import { Field, ID, ObjectType } from "type-graphql";
import { Role } from "../graphql/enums";
import { DateTime } from "../graphql/scalars";

@ObjectType()
export class Profile {
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) contact!: string | null;
  @Field(() => String, { nullable: true }) address!: string | null;
  @Field(() => String, { nullable: true }) occupation!: string | null;
  @Field(() => String, { nullable: true }) hobby!: string | null;
  @Field(() => String, { nullable: true }) highestQualification!: string | null;
  @Field(() => DateTime, { nullable: true }) dateOfBirth!: Date | null;
}

/** A user account. email, avatarUrl, twoFactorEnabled, lastLoginAt and profile come from UserFieldsResolver. */
@ObjectType()
export class User {
  @Field(() => ID) id!: string;
  @Field(() => String) username!: string;
  @Field(() => Boolean) emailVerified!: boolean;
  @Field(() => Role) role!: Role;
  @Field(() => Boolean) disabled!: boolean;
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => DateTime) updatedAt!: Date;
  /** Exposed by UserFieldsResolver (hidden from a MODERATOR for an ADMIN account). */
  lastLoginAt!: Date | null;
}
