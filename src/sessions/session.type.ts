import { Field, ID, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import { User } from "../accounts/user.type";

@ObjectType()
export class Session {
  @Field(() => ID) id!: string;
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => DateTime) lastSeenAt!: Date;
  @Field(() => DateTime) expiresAt!: Date;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => Boolean) current!: boolean;
  @Field(() => DateTime, {
    description: "When the user last proved who they are in this session: the sign-in itself or reauthenticate; refreshing tokens does not move it",
  })
  authenticatedAt!: Date;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { nullable: true, description: "null in cookie mode: the tokens travel only in httpOnly cookies" })
  accessToken!: string | null;
  @Field(() => DateTime) accessTokenExpiresAt!: Date;
  @Field(() => String, { nullable: true, description: "null in cookie mode" })
  refreshToken!: string | null;
  @Field(() => DateTime) refreshTokenExpiresAt!: Date;
  @Field(() => Session) session!: Session;
  @Field(() => User) user!: User;
}
