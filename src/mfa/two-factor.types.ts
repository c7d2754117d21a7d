import { Field, InputType, ObjectType } from "type-graphql";
import { MaxLength } from "class-validator";

/** Returned once by beginTotpEnrollment / beginHotpEnrollment; the secret is never shown again. */
@ObjectType({
  description:
    "A new authenticator secret, shown this once. Nothing is active until confirmTwoFactorEnrollment receives a code generated from it.",
})
export class TotpEnrollment {
  @Field(() => String, { description: "The shared secret in base32, for authenticator apps that take it typed in. Shown only here." })
  secret!: string;
  @Field(() => String, {
    description: "The otpauth:// URI (otpauth://totp/... or otpauth://hotp/... with counter=0) that authenticator apps import; it contains the secret.",
  })
  otpauthUrl!: string;
  @Field(() => String, { description: "The otpauth URL as a QR code, a PNG data URL to show in an img element." }) qrCodeDataUrl!: string;
}

/** Shown once; each code signs in (or proves the second factor) one time. */
@ObjectType({
  description: "Single-use codes that stand in for the authenticator when it is lost. Shown only this once; store them somewhere safe.",
})
export class RecoveryCodes {
  @Field(() => [String], {
    description: "Ten codes formatted xxxxx-xxxxx; each works once. Case, spaces and hyphens do not matter when typing one.",
  })
  codes!: string[];
}

@InputType({ description: "The second step of a sign-in, for verifyTwoFactorLogin." })
export class TwoFactorLoginInput {
  @Field(() => String, { description: "The challengeToken of the TwoFactorChallenge that login or completeOAuthLogin returned. Never echoed back." })
  @MaxLength(128)
  challengeToken!: string;
  @Field(() => String, { description: "A current TOTP/HOTP code, or an unused recovery code. Never echoed back." }) @MaxLength(64) code!: string;
}
