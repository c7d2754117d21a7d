import { Field, InputType, ObjectType } from "type-graphql";
import { MaxLength } from "class-validator";

@ObjectType({ description: "A social sign-in provider configured on this server (OIDC_PROVIDERS)." })
export class OAuthProvider {
  @Field(() => String, {
    description: "The key that names the provider in startOAuthLogin, OAuthCompleteInput, unlinkOAuthAccount and User.linkedProviders, such as github.",
  })
  id!: string;
  @Field(() => String, { description: "The name to show on a sign-in button." }) name!: string;
}

@ObjectType({ description: "A social sign-in flow, started: send the browser to the provider, then complete the flow with what comes back." })
export class OAuthStart {
  @Field(() => String, {
    description: "The provider's authorization page (with PKCE, state and nonce) to send the browser to; the flow is valid 10 minutes.",
  })
  authorizationUrl!: string;
  @Field(() => String, {
    description: "The state parameter the provider returns to the redirect URI; send it back as OAuthCompleteInput.state.",
  })
  state!: string;
  @Field(() => String, {
    description:
      "Proves at completion that the caller started this flow. Browsers also get it as the httpOnly lk_oauth cookie; apps without cookies keep it (never in the redirect URL) and send it as OAuthCompleteInput.binding. A secret.",
  })
  binding!: string;
}

// Length caps only stop absurd payloads; the service checks the values.
@InputType({ description: "What the provider sent back to the redirect URI, for completeOAuthLogin and linkOAuthAccount." })
export class OAuthCompleteInput {
  @Field(() => String, { description: "The provider's id, as given to startOAuthLogin." }) @MaxLength(64) provider!: string;
  @Field(() => String, { description: "The authorization code from the redirect URI's query, at most 4096 characters; used once. Never echoed back." })
  @MaxLength(4096)
  code!: string;
  @Field(() => String, { description: "The state from the redirect URI's query, which must match the flow startOAuthLogin began." })
  @MaxLength(512)
  state!: string;
  @Field(() => String, {
    nullable: true,
    description: "The binding startOAuthLogin returned; may be left out when the browser sends the lk_oauth cookie. Never echoed back.",
  })
  @MaxLength(128)
  binding?: string | null;
}
