import { Field, ID, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import { User } from "../accounts";

@ObjectType({
  description:
    "One sign-in on one device, kept alive by refreshSession. It ends when revoked (logout, revokeSession, a password change or reset, an ADMIN), after SESSION_IDLE_TIMEOUT without use (default 10 minutes), or SESSION_MAX_LIFETIME after the sign-in (default 90 days).",
})
export class Session {
  @Field(() => ID, { description: "The session's identifier, also the sid claim of its access tokens." }) id!: string;
  @Field(() => DateTime, { description: "When the sign-in that started the session happened." }) createdAt!: Date;
  @Field(() => DateTime, { description: "When the session was last used; written at most once a minute." }) lastSeenAt!: Date;
  @Field(() => DateTime, {
    description:
      "When the session ends unless refreshed: REFRESH_TOKEN_TTL (default 30 days) after the latest refresh, never later than SESSION_MAX_LIFETIME after the sign-in.",
  })
  expiresAt!: Date;
  @Field(() => String, { nullable: true, description: "The User-Agent header of the sign-in request; null when none was sent." })
  userAgent!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The client IP address of the sign-in (taken from X-Forwarded-For only when TRUST_PROXY is on); null when unknown.",
  })
  ip!: string | null;
  @Field(() => Boolean, { description: "Whether this is the session of the request's own access token." }) current!: boolean;
  @Field(() => DateTime, {
    description:
      "When the user last proved who they are in this session: the sign-in itself or reauthenticate; refreshing tokens does not move it. Sensitive mutations need it within REAUTH_MAX_AGE (default 10 minutes).",
  })
  authenticatedAt!: Date;
}

@ObjectType({ description: "The tokens of a completed sign-in or refresh, with the session and user they belong to." })
export class AuthPayload {
  @Field(() => String, {
    nullable: true,
    description:
      "A signed JWT to send as Authorization: Bearer <token>, verifiable with /.well-known/jwks.json. A secret: keep it out of logs and URLs. Null in cookie mode: the tokens travel only in httpOnly cookies.",
  })
  accessToken!: string | null;
  @Field(() => DateTime, {
    description: "When the access token expires: expiresInMinutes after issue when the sign-in asked for it, else ACCESS_TOKEN_TTL (default 15 minutes).",
  })
  accessTokenExpiresAt!: Date;
  @Field(() => String, {
    nullable: true,
    description:
      "The single-use secret refreshSession exchanges for new tokens. Presenting a used one again (later than REFRESH_REUSE_INTERVAL, default 10 seconds) revokes the whole session. Null in cookie mode: it travels in the lk_refresh cookie.",
  })
  refreshToken!: string | null;
  @Field(() => DateTime, {
    description: "When the refresh token expires: REFRESH_TOKEN_TTL (default 30 days) after issue, never later than the session's SESSION_MAX_LIFETIME.",
  })
  refreshTokenExpiresAt!: Date;
  @Field(() => Session, { description: "The session the tokens belong to." }) session!: Session;
  @Field(() => User, { description: "The signed-in user." }) user!: User;
}
