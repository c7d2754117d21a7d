import { Field, InputType } from "type-graphql";
import { MaxLength } from "class-validator";

// Length caps only stop absurd payloads before any work; the rules live in the services.
@InputType()
export class ResetPasswordInput {
  @Field(() => String) @MaxLength(256) token!: string;
  @Field(() => String) @MaxLength(4096) newPassword!: string;
}

@InputType()
export class PasskeyResetInput {
  @Field(() => String) @MaxLength(64) username!: string;
  @Field(() => String) @MaxLength(4096) secretPasskey!: string;
  @Field(() => String) @MaxLength(4096) newPassword!: string;
}
