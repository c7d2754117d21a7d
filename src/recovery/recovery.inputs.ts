import { Field, InputType } from "type-graphql";
import { MaxLength } from "class-validator";

// Length caps only stop absurd payloads before any work; the rules live in the services.
@InputType({ description: "A password reset by e-mailed link, for resetPassword." })
export class ResetPasswordInput {
  @Field(() => String, {
    description: "The token of the APP_URL/reset-password?token=<token> link: single use, valid PASSWORD_RESET_TTL (default 30 minutes). Never echoed back.",
  })
  @MaxLength(256)
  token!: string;
  @Field(() => String, {
    description: "The new password; the password rules apply (PASSWORD_POLICY with extensions.reasons). Never echoed back.",
  })
  @MaxLength(4096)
  newPassword!: string;
}

@InputType({ description: "An offline password reset with the secret passkey chosen at sign-up, for resetPasswordWithPasskey." })
export class PasskeyResetInput {
  @Field(() => String, { description: "The account's username." }) @MaxLength(64) username!: string;
  @Field(() => String, { description: "The account's secret passkey. Never echoed back." }) @MaxLength(4096) secretPasskey!: string;
  @Field(() => String, {
    description: "The new password; the password rules apply (PASSWORD_POLICY with extensions.reasons). Never echoed back.",
  })
  @MaxLength(4096)
  newPassword!: string;
}
