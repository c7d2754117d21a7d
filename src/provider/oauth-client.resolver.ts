import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import type { ClientActor, ClientWithSecret } from "./oauth-client.service";
import { OAuthClient, OAuthClientInput, OAuthClientWithSecret, toOAuthClient } from "./oauth-client.types";

const actor = (ctx: GraphQLContext): ClientActor => ({ actorId: ctx.viewer!.user.id, origin: ctx.origin });
const withSecret = ({ client, clientSecret }: ClientWithSecret): OAuthClientWithSecret => ({ client: toOAuthClient(client), clientSecret });

/** The OpenID Provider's clients: ADMIN only; every mutation needs a recent authentication (the auth checker's rule). */
@Resolver()
export class OAuthClientResolver {
  @Authorized("ADMIN")
  @Query(() => [OAuthClient], { description: "Every OpenID Provider client, oldest first; ADMIN only (FORBIDDEN for others)." })
  async oauthClients(@Ctx() ctx: GraphQLContext): Promise<OAuthClient[]> {
    return (await ctx.services.oauthClients.list()).map(toOAuthClient);
  }

  @Authorized("ADMIN")
  @Mutation(() => OAuthClientWithSecret, {
    description:
      "Registers an OpenID Provider client and returns its client_secret, the only time it is shown (null for a public client). ADMIN only, with a recent authentication (FORBIDDEN with extensions.reason REAUTHENTICATION_REQUIRED otherwise); audited. BAD_USER_INPUT naming the field for a refused name, URI, grant type or scope.",
  })
  async createOAuthClient(@Arg("input", () => OAuthClientInput, { description: "The client's settings." }) input: OAuthClientInput, @Ctx() ctx: GraphQLContext): Promise<OAuthClientWithSecret> {
    return withSecret(await ctx.services.oauthClients.create(actor(ctx), input));
  }

  @Authorized("ADMIN")
  @Mutation(() => OAuthClient, {
    description:
      "Replaces a client's settings (its client_id and secret stay); consents already given stay. ADMIN only, with a recent authentication; audited. NOT_FOUND for an unknown client; BAD_USER_INPUT as in createOAuthClient, and (field public) for a change between public and confidential.",
  })
  async updateOAuthClient(
    @Arg("id", () => ID, { description: "The client to change." }) id: string,
    @Arg("input", () => OAuthClientInput, { description: "Its new settings, all of them." }) input: OAuthClientInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OAuthClient> {
    return toOAuthClient(await ctx.services.oauthClients.update(actor(ctx), id, input));
  }

  @Authorized("ADMIN")
  @Mutation(() => OAuthClientWithSecret, {
    description:
      "Replaces a confidential client's secret and returns the new one, shown only here; the old one stops working at once. ADMIN only, with a recent authentication; audited. NOT_FOUND for an unknown client; BAD_USER_INPUT (field id) for a public client.",
  })
  async rotateOAuthClientSecret(@Arg("id", () => ID, { description: "The client whose secret to replace." }) id: string, @Ctx() ctx: GraphQLContext): Promise<OAuthClientWithSecret> {
    return withSecret(await ctx.services.oauthClients.rotateSecret(actor(ctx), id));
  }

  @Authorized("ADMIN")
  @Mutation(() => Boolean, {
    description:
      "Deletes a client with every consent given to it and every code and token issued to it. ADMIN only, with a recent authentication; audited. Returns true; NOT_FOUND for an unknown client.",
  })
  deleteOAuthClient(@Arg("id", () => ID, { description: "The client to delete." }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.oauthClients.delete(actor(ctx), id);
  }
}
