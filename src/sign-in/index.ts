// What the sign-in steps above (second factor, passkeys, sign-in providers) use of sign-in,
// including the session types a completed sign-in answers with.
export { SignInService, type SignInProof, type SignInMethodName } from "./sign-in.service";
export { TwoFactorChallengeService, type OpenChallenge, type TwoFactorChallengeData } from "./two-factor-challenge.service";
export { toTwoFactorChallenge, TwoFactorChallenge } from "./two-factor-challenge.types";
export { LoginResult } from "./login-result.types";
export { signedInResponse } from "./signed-in-response";
export type { TwoFactorState } from "./two-factor-state";
export { AuthPayload } from "../sessions";
export type { AuthPayloadData } from "../sessions";
// For the composition root.
export { AuthResolver } from "./auth.resolver";
export { RegistrationResolver } from "./registration.resolver";
export { createSignIn } from "./create-sign-in";
