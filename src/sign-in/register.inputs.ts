import { Field, InputType, Int, ObjectType, ID } from "type-graphql";
import { MaxLength } from "class-validator";
import { User } from "../accounts";
import { AuthPayload } from "../sessions";

// Length caps here only stop absurd payloads before any work; the real rules live in the services.
@InputType({ description: "The new account's name and secrets, for register." })
export class RegisterInput {
  @Field(() => String, {
    description:
      "The unique sign-in name: 3 to 32 letters, digits, '.', '_' or '-', unique regardless of letter case (CONFLICT with extensions.field username when taken).",
  })
  @MaxLength(64)
  username!: string;
  @Field(() => String, {
    description:
      "The password: 12 to 128 characters, not a commonly used password, not the username or e-mail address (PASSWORD_POLICY with extensions.reasons otherwise). Never echoed back.",
  })
  @MaxLength(4096)
  password!: string;
  @Field(() => String, {
    description:
      "A second secret the user keeps offline for account recovery with resetPasswordWithPasskey (not a WebAuthn passkey). The password rules apply, and it must differ from the password. Never echoed back.",
  })
  @MaxLength(4096)
  secretPasskey!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "An e-mail address, at most 254 characters, for sign-in, password resets and security notices; a verification link is mailed to it. Optional.",
  })
  @MaxLength(254)
  email?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The token of an organization invitation link (acceptInvitation's token) when signing up from it: email must then be the invited address, the account is created with that address verified (the link proved the mailbox) and joins the organization in the same step. BAD_USER_INPUT (field invitationToken) for a token that cannot be used or an email that differs. Optional.",
  })
  @MaxLength(512)
  invitationToken?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "true: also sign the new account in, as login would with the same password (the payload's auth, a LOGIN_SUCCEEDED audit event and the session.created webhook; lastSignInMethod PASSWORD), without a second password check. Default false: auth is null and the account signs in with login.",
  })
  signIn?: boolean | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "With signIn: the access token's lifetime in minutes, from 1 to ACCESS_TOKEN_MAX_TTL (default 24 hours; BAD_USER_INPUT outside, and no account is made). Defaults to ACCESS_TOKEN_TTL (15 minutes); refreshed tokens keep it. Ignored without signIn.",
  })
  expiresInMinutes?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "With signIn, true: also set the lk_access and lk_refresh httpOnly cookies, and leave the tokens out of auth (browser apps), as login's cookie. Default false. Ignored without signIn.",
  })
  cookie?: boolean | null;
}

@ObjectType({ description: "The account register created, and its first session when the input asked for signIn (else call login next)." })
export class RegisterPayload {
  @Field(() => ID, { description: "The new account's id, the same as user.id." }) userId!: string;
  @Field(() => User, { description: "The new account." }) user!: User;
  @Field(() => AuthPayload, {
    nullable: true,
    description: "The tokens and session of the sign-in register made when the input's signIn was true (accessToken and refreshToken null in cookie mode, as login's); null otherwise.",
  })
  auth!: AuthPayload | null;
}
