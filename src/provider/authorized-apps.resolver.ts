import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { OAuthClient, toOAuthClient } from "./oauth-client.types";
import { TokenScope } from "../graphql/token-scope";

/** The apps a signed-in user let sign them in through Latchkey, and withdrawing that consent. */
@Resolver()
export class AuthorizedAppsResolver {
  @Authorized()
  @TokenScope("read:profile")
  @Query(() => [OAuthClient], {
    description: "The applications the signed-in user consented to (they sign the user in through Latchkey as an OpenID Provider), by name. UNAUTHENTICATED when signed out.",
  })
  async myAuthorizedApps(@Ctx() ctx: GraphQLContext): Promise<OAuthClient[]> {
    return (await ctx.services.authorizedApps.list(ctx.viewer!.user.id)).map(toOAuthClient);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "Withdraws the signed-in user's consent to an application: its grants for the user end with the codes and access and refresh tokens issued under them, so the application's tokens stop working and it must ask again. Audited. true when there was a consent, false otherwise. UNAUTHENTICATED when signed out.",
  })
  revokeAuthorizedApp(
    @Arg("clientId", () => String, { description: "The application's client_id (OAuthClient.clientId from myAuthorizedApps)." }) clientId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    return ctx.services.authorizedApps.revoke(ctx.viewer!.user.id, clientId, ctx.origin);
  }
}
