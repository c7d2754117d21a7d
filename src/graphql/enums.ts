import { registerEnumType } from "type-graphql";
import { Role, SignInMethod } from "../generated/prisma/enums";

export { Role, SignInMethod };

export enum TwoFactorMethod {
  TOTP = "TOTP",
  HOTP = "HOTP",
  RECOVERY_CODE = "RECOVERY_CODE",
}

registerEnumType(Role, {
  name: "Role",
  description: "What an account may do. Checked against the database on every request, so a change applies at once.",
  valuesConfig: {
    USER: { description: "A regular account, which manages only itself: its profile, sessions and security settings." },
    MODERATOR: { description: "A USER who may also read other accounts (user, searchUsers), without changing them." },
    ADMIN: { description: "A MODERATOR who may also change roles, disable accounts, end other accounts' sessions, read the audit log and manage webhooks." },
  },
});
registerEnumType(TwoFactorMethod, {
  name: "TwoFactorMethod",
  description: "A kind of code that proves the second factor.",
  valuesConfig: {
    TOTP: { description: "A 6-digit code from an authenticator app that changes every 30 seconds (RFC 6238)." },
    HOTP: { description: "A 6-digit code from an authenticator that moves on with each use (RFC 4226)." },
    RECOVERY_CODE: { description: "One of the single-use recovery codes given when two-factor authentication was turned on." },
  },
});
registerEnumType(SignInMethod, {
  name: "SignInMethod",
  description: "How the first step of a sign-in proved who signs in; a second factor after it does not change it.",
  valuesConfig: {
    PASSWORD: { description: "The account's password (login, or register with signIn)." },
    PASSKEY: { description: "A WebAuthn passkey (finishPasskeyLogin)." },
    OAUTH: { description: "A linked sign-in provider such as Google or GitHub (completeOAuthLogin)." },
    MAGIC_LINK: { description: "A single-use sign-in link mailed to the account's address." },
    EMAIL_CODE: { description: "A single-use code mailed to the account's address." },
  },
});
