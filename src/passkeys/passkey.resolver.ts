import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RecentAuthentication, NotWhileImpersonating } from "../graphql/recent-auth";
import { AuthPayload, Session } from "../sessions";
import { signedInResponse } from "../sign-in";
import { Passkey, PasskeyLoginStart, toPasskey } from "./passkey.types";

@Resolver()
export class PasskeyResolver {
  @Authorized()
  @RecentAuthentication()
  @Mutation(() => String, {
    description:
      "Starts adding a passkey to the signed-in user: returns PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create, valid 5 minutes. Needs a recent authentication and a verified address (FORBIDDEN with extensions.reason REAUTHENTICATION_REQUIRED or EMAIL_NOT_VERIFIED); CONFLICT at 20 passkeys; RATE_LIMITED (RATE_LIMIT_BEGIN_PASSKEY_REGISTRATION, default 10 a minute).",
  })
  beginPasskeyRegistration(@Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.passkeys.registration.begin(ctx.viewer!.user);
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => Passkey, {
    description:
      "Stores the passkey the browser created for the last beginPasskeyRegistration; a notice is mailed to the verified address. Needs a recent authentication. BAD_USER_INPUT (extensions.field responseJson) when it cannot be verified: begin again; RATE_LIMITED (RATE_LIMIT_FINISH_PASSKEY_REGISTRATION, default 10 a minute).",
  })
  async finishPasskeyRegistration(
    @Arg("responseJson", () => String, { description: "The RegistrationResponseJSON of navigator.credentials.create, at most 64 KiB." })
    responseJson: string,
    @Arg("name", () => String, { nullable: true, description: "A label for the passkey, at most 64 characters." }) name: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Passkey> {
    return toPasskey(await ctx.services.passkeys.registration.finish(ctx.viewer!.user.id, responseJson, name, ctx.origin));
  }

  @Mutation(() => PasskeyLoginStart, {
    description:
      "Starts a passkey sign-in; needs no token. The answer looks the same whether or not the account exists or has passkeys. RATE_LIMITED per identifier and IP (RATE_LIMIT_BEGIN_PASSKEY_LOGIN, default 10 a minute) and per IP (RATE_LIMIT_BEGIN_PASSKEY_LOGIN_IP, default 100 a minute).",
  })
  beginPasskeyLogin(
    @Arg("identifier", () => String, {
      nullable: true,
      description: "A username, e-mail address or user id to offer that account's passkeys; leave it out for discoverable credentials.",
    })
    identifier: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PasskeyLoginStart> {
    return ctx.services.passkeys.authentication.begin(identifier);
  }

  @Mutation(() => AuthPayload, {
    description:
      "Completes a passkey sign-in with the browser's answer to the challenge; no TwoFactorChallenge follows. Errors: UNAUTHENTICATED with the message Invalid credentials for any failed check; FORBIDDEN (extensions.reason ACCOUNT_DISABLED); RATE_LIMITED (RATE_LIMIT_FINISH_PASSKEY_LOGIN, default 100 a minute per IP).",
  })
  async finishPasskeyLogin(
    @Arg("challengeToken", () => String, { description: "The challengeToken beginPasskeyLogin returned." }) challengeToken: string,
    @Arg("responseJson", () => String, { description: "The AuthenticationResponseJSON of navigator.credentials.get, at most 64 KiB." })
    responseJson: string,
    @Arg("cookie", () => Boolean, {
      nullable: true,
      description: "true: also set the lk_access and lk_refresh httpOnly cookies, and leave the tokens out of the response body. Default false.",
    })
    cookie: boolean | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    const payload = await ctx.services.passkeys.authentication.finish(challengeToken, responseJson, ctx.origin);
    return signedInResponse(ctx, payload, cookie === true);
  }

  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => PasskeyLoginStart, {
    description:
      "Starts reauthentication with one of the signed-in user's passkeys (for accounts without a password); answer with finishPasskeyReauthentication. CONFLICT when the account has no passkey.",
  })
  beginPasskeyReauthentication(@Ctx() ctx: GraphQLContext): Promise<PasskeyLoginStart> {
    return ctx.services.passkeys.authentication.beginReauthentication(ctx.viewer!.user.id);
  }

  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => Session, {
    description:
      "Finishes a passkey reauthentication: like reauthenticate, moves the session's authenticatedAt and returns the session; failures count toward the sign-in lockout (ACCOUNT_LOCKED). RATE_LIMITED (RATE_LIMIT_FINISH_PASSKEY_REAUTHENTICATION, default 10 a minute).",
  })
  async finishPasskeyReauthentication(
    @Arg("challengeToken", () => String, { description: "The challengeToken beginPasskeyReauthentication returned." }) challengeToken: string,
    @Arg("responseJson", () => String, { description: "The AuthenticationResponseJSON of navigator.credentials.get." }) responseJson: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Session> {
    const row = await ctx.services.passkeys.authentication.finishReauthentication(ctx.viewer!, challengeToken, responseJson, ctx.origin);
    return { ...row, current: true };
  }

  @Authorized()
  @Mutation(() => Passkey, { description: "Renames one of the signed-in user's passkeys. NOT_FOUND for an id that is not one of theirs." })
  async renamePasskey(
    @Arg("id", () => ID, { description: "The passkey's id, from User.passkeys." }) id: string,
    @Arg("name", () => String, { description: "The new label: 1 to 64 characters after trimming." }) name: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Passkey> {
    return toPasskey(await ctx.services.passkeys.management.rename(ctx.viewer!.user.id, id, name, ctx.origin));
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => Boolean, {
    description:
      "Removes one of the signed-in user's passkeys; also ends the sessions this passkey started. Needs a recent authentication. Returns true. NOT_FOUND for an id that is not one of theirs; FORBIDDEN (extensions.reason LAST_SIGN_IN_METHOD) when it is the account's only way to sign in.",
  })
  async removePasskey(@Arg("id", () => ID, { description: "The passkey's id, from User.passkeys." }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.passkeys.management.remove(ctx.viewer!, id, ctx.origin);
    return true;
  }
}
