import { Field, InputType, ObjectType } from "type-graphql";
import { MaxLength } from "class-validator";

@ObjectType()
export class OAuthProvider {
  @Field(() => String) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType()
export class OAuthStart {
  @Field(() => String) authorizationUrl!: string;
  @Field(() => String) state!: string;
  @Field(() => String, {
    description:
      "Proves at completion that the caller started this flow. Browsers also get it as the httpOnly lk_oauth cookie; apps without cookies keep it (never in the redirect URL) and send it as OAuthCompleteInput.binding.",
  })
  binding!: string;
}

// Length caps only stop absurd payloads; the service checks the values.
@InputType()
export class OAuthCompleteInput {
  @Field(() => String) @MaxLength(64) provider!: string;
  @Field(() => String) @MaxLength(4096) code!: string;
  @Field(() => String) @MaxLength(512) state!: string;
  @Field(() => String, {
    nullable: true,
    description: "The binding startOAuthLogin returned; may be left out when the browser sends the lk_oauth cookie.",
  })
  @MaxLength(128)
  binding?: string | null;
}
