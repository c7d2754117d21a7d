import { Field, Int, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";

@ObjectType({
  description:
    "What requestEmailCode answers, alike for every address: send the challengeToken with the code from the mail to signInWithEmailCode. An address without a verified account gets a challenge of the same shape that no code signs in with.",
})
export class EmailCodeChallenge {
  @Field(() => String, {
    description: "The secret, single-use token that stands for this request in signInWithEmailCode. Keep it out of logs and URLs.",
  })
  challengeToken!: string;
  @Field(() => DateTime, { description: "When the code stops working (EMAIL_CODE_TTL after the request, default 10 minutes)." })
  expiresAt!: Date;
  @Field(() => Int, { description: "How many digits the mailed code has (8)." })
  codeLength!: number;
}
