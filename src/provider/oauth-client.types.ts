import { Field, ID, InputType, ObjectType } from "type-graphql";
import type { OAuthClient as OAuthClientRow } from "../generated/prisma/client";
import { DateTime } from "../graphql/scalars";
import { CLIENT_NAME_MAX, CLIENT_URIS_MAX } from "./oauth-client.rules";

const GRANT_TYPES = "authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:device_code";
const URI_RULES = `absolute URLs without a fragment, https (http only for localhost or 127.0.0.1, for development), at most ${CLIENT_URIS_MAX}, each at most 2048 characters`;

@ObjectType({
  description:
    "An application that signs its users in through Latchkey as an OpenID Provider (a relying party): its client_id, where it may send users back, and what it may ask for. Its secret is never shown here.",
})
export class OAuthClient {
  @Field(() => ID, { description: "The client's identifier in this API (updateOAuthClient, rotateOAuthClientSecret, deleteOAuthClient)." }) id!: string;
  @Field(() => String, { description: "The OAuth client_id the application presents to the provider: random and URL-safe." }) clientId!: string;
  @Field(() => String, { description: "The application's name, shown to users on the consent page and in myAuthorizedApps." }) name!: string;
  @Field(() => [String], { description: "The exact URIs the authorization endpoint may redirect to; any other is refused." }) redirectUris!: string[];
  @Field(() => [String], { description: "Where RP-initiated logout may send the user afterwards (post_logout_redirect_uri)." }) postLogoutRedirectUris!: string[];
  @Field(() => [String], { description: `The grants the client may use, among ${GRANT_TYPES}.` }) grantTypes!: string[];
  @Field(() => [String], { description: "The scopes the client may ask for, among openid, profile, email and offline_access." }) scopes!: string[];
  @Field(() => Boolean, { name: "public", description: "true for a client that keeps no secret (a single-page or mobile app): it has none and must use PKCE (S256)." })
  isPublic!: boolean;
  @Field(() => Boolean, { description: "true for the product's own apps: their users are not asked for consent." }) firstParty!: boolean;
  @Field(() => DateTime, { description: "When the client was registered." }) createdAt!: Date;
}

/** The GraphQL view of a stored client (no secret hash). */
export function toOAuthClient(row: OAuthClientRow): OAuthClient {
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    grantTypes: row.grantTypes,
    scopes: row.scopes,
    isPublic: row.public,
    firstParty: row.firstParty,
    createdAt: row.createdAt,
  };
}

@ObjectType({ description: "A client with its secret: the one time the secret is shown (createOAuthClient, rotateOAuthClientSecret)." })
export class OAuthClientWithSecret {
  @Field(() => OAuthClient, { description: "The client." }) client!: OAuthClient;
  @Field(() => String, {
    nullable: true,
    description:
      "The client_secret the application authenticates with at the token endpoint (client_secret_basic); shown only here, stored only as a hash. null for a public client.",
  })
  clientSecret!: string | null;
}

@InputType({ description: "A client's settings (createOAuthClient, and updateOAuthClient, which replaces them all)." })
export class OAuthClientInput {
  @Field(() => String, { description: `The application's name, shown to users: 1 to ${CLIENT_NAME_MAX} characters.` }) name!: string;
  @Field(() => [String], { description: `Where the authorization endpoint may send users back: ${URI_RULES}. At least one with authorization_code.` })
  redirectUris!: string[];
  @Field(() => [String], { nullable: true, description: `Where RP-initiated logout may send users afterwards: ${URI_RULES}. None when left out.` })
  postLogoutRedirectUris?: string[] | null;
  @Field(() => [String], {
    description: `The grants the client may use, at least one of: ${GRANT_TYPES}. refresh_token needs authorization_code or the device code grant; a public client may not use client_credentials.`,
  })
  grantTypes!: string[];
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "true for a client that cannot keep a secret: it gets none and must use PKCE (S256). Fixed once the client exists." })
  public?: boolean | null;
  @Field(() => [String], { nullable: true, description: "The scopes the client may ask for, among openid, profile, email and offline_access; all four when left out." })
  scopes?: string[] | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "true for the product's own apps: their users are not asked for consent." })
  firstParty?: boolean | null;
}
