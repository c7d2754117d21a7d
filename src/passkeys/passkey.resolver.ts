import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RecentAuthentication } from "../graphql/recent-auth";
import { AuthPayload, Session } from "../sessions/session.type";
import { signedInResponse } from "../sign-in/signed-in-response";
import { Passkey, PasskeyLoginStart, toPasskey } from "./passkey.types";

@Resolver()
export class PasskeyResolver {
  @Authorized()
  @RecentAuthentication()
  @Mutation(() => String, { description: "PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create" })
  beginPasskeyRegistration(@Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.passkeys.registration.begin(ctx.viewer!.user);
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => Passkey)
  async finishPasskeyRegistration(
    @Arg("responseJson", () => String) responseJson: string,
    @Arg("name", () => String, { nullable: true }) name: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Passkey> {
    return toPasskey(await ctx.services.passkeys.registration.finish(ctx.viewer!.user.id, responseJson, name, ctx.origin));
  }

  @Mutation(() => PasskeyLoginStart, { description: "no identifier: discoverable credentials" })
  beginPasskeyLogin(
    @Arg("identifier", () => String, { nullable: true }) identifier: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PasskeyLoginStart> {
    return ctx.services.passkeys.authentication.begin(identifier);
  }

  @Mutation(() => AuthPayload)
  async finishPasskeyLogin(
    @Arg("challengeToken", () => String) challengeToken: string,
    @Arg("responseJson", () => String) responseJson: string,
    @Arg("cookie", () => Boolean, { nullable: true, description: "true: also set lk_access / lk_refresh httpOnly cookies" })
    cookie: boolean | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    const payload = await ctx.services.passkeys.authentication.finish(challengeToken, responseJson, ctx.origin);
    return signedInResponse(ctx, payload, cookie === true);
  }

  @Authorized()
  @Mutation(() => PasskeyLoginStart, {
    description: "Starts reauthentication with one of the signed-in user's passkeys (accounts without a password); answer with finishPasskeyReauthentication",
  })
  beginPasskeyReauthentication(@Ctx() ctx: GraphQLContext): Promise<PasskeyLoginStart> {
    return ctx.services.passkeys.authentication.beginReauthentication(ctx.viewer!.user.id);
  }

  @Authorized()
  @Mutation(() => Session, {
    description: "Finishes a passkey reauthentication: like reauthenticate, moves the session's authenticatedAt; failures count toward the sign-in lockout",
  })
  async finishPasskeyReauthentication(
    @Arg("challengeToken", () => String, { description: "from beginPasskeyReauthentication" }) challengeToken: string,
    @Arg("responseJson", () => String, { description: "the AuthenticationResponseJSON of navigator.credentials.get" }) responseJson: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Session> {
    const row = await ctx.services.passkeys.authentication.finishReauthentication(ctx.viewer!, challengeToken, responseJson, ctx.origin);
    return { ...row, current: true };
  }

  @Authorized()
  @Mutation(() => Passkey)
  async renamePasskey(
    @Arg("id", () => ID) id: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Passkey> {
    return toPasskey(await ctx.services.passkeys.management.rename(ctx.viewer!.user.id, id, name, ctx.origin));
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => Boolean, { description: "also ends the sessions this passkey started" })
  async removePasskey(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.passkeys.management.remove(ctx.viewer!, id, ctx.origin);
    return true;
  }
}
