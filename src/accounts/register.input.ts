import { Field, InputType, ObjectType, ID } from "type-graphql";
import { MaxLength } from "class-validator";
import { User } from "./user.type";

// Length caps here only stop absurd payloads before any work; the real rules live in the services.
@InputType()
export class RegisterInput {
  @Field(() => String) @MaxLength(64) username!: string;
  @Field(() => String) @MaxLength(4096) password!: string;
  @Field(() => String) @MaxLength(4096) secretPasskey!: string;
  @Field(() => String, { nullable: true }) @MaxLength(254) email?: string | null;
}

@ObjectType()
export class RegisterPayload {
  @Field(() => ID) userId!: string;
  @Field(() => User) user!: User;
}
