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
}

// Length caps only stop absurd payloads; the service checks the values.
@InputType()
export class OAuthCompleteInput {
  @Field(() => String) @MaxLength(64) provider!: string;
  @Field(() => String) @MaxLength(4096) code!: string;
  @Field(() => String) @MaxLength(512) state!: string;
}
