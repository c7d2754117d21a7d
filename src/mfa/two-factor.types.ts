import { Field, InputType, ObjectType } from "type-graphql";
import { MaxLength } from "class-validator";

/** Returned once by beginTotpEnrollment / beginHotpEnrollment; the secret is never shown again. */
@ObjectType()
export class TotpEnrollment {
  @Field(() => String) secret!: string;
  @Field(() => String) otpauthUrl!: string;
  @Field(() => String, { description: "the otpauth URL as a QR code, a PNG data URL" }) qrCodeDataUrl!: string;
}

/** Shown once; each code signs in (or proves the second factor) one time. */
@ObjectType()
export class RecoveryCodes {
  @Field(() => [String]) codes!: string[];
}

@InputType()
export class TwoFactorLoginInput {
  @Field(() => String) @MaxLength(128) challengeToken!: string;
  @Field(() => String, { description: "a TOTP/HOTP code or a recovery code" }) @MaxLength(64) code!: string;
}
