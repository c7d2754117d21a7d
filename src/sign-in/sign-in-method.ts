/** How the first step proved who signs in: recorded as User.lastSignInMethod when the sign-in completes. */
export type SignInMethodName = "PASSWORD" | "PASSKEY" | "OAUTH" | "MAGIC_LINK" | "EMAIL_CODE";

/** Every SignInMethodName, for reading one back from stored text. */
export const SIGN_IN_METHODS: ReadonlySet<string> = new Set<SignInMethodName>(["PASSWORD", "PASSKEY", "OAUTH", "MAGIC_LINK", "EMAIL_CODE"]);
