import type { Config, RateLimit } from "../config";
import { parseRateLimit } from "../config/variable-parsers";

/**
 * Per-field rate limits. Each rule counts calls of one root field per client; `by: "ip"` keys
 * on the client IP, `by: "user"` on the signed-in user (the IP when signed out), and
 * `identityArgs` adds argument values (e.g. the login identifier) to the key. Every limit is
 * overridable as RATE_LIMIT_<KEY>=max/window, e.g. RATE_LIMIT_LOGIN=20/1m.
 */
export interface RateLimitRule {
  key: string;
  defaultLimit: string;
  by: "ip" | "user";
  identityArgs?: string[];
}

export const RATE_LIMIT_RULES: Record<string, RateLimitRule[]> = {
  login: [
    { key: "LOGIN", defaultLimit: "10/1m", by: "ip", identityArgs: ["input.identifier"] },
    { key: "LOGIN_IP", defaultLimit: "100/1m", by: "ip" },
  ],
  register: [{ key: "REGISTER", defaultLimit: "20/1h", by: "ip" }],
  requestPasswordReset: [{ key: "REQUEST_PASSWORD_RESET", defaultLimit: "5/1h", by: "ip", identityArgs: ["email"] }],
  requestEmailVerification: [{ key: "REQUEST_EMAIL_VERIFICATION", defaultLimit: "5/1h", by: "user" }],
  resetPassword: [{ key: "RESET_PASSWORD", defaultLimit: "10/1h", by: "ip" }],
  resetPasswordWithPasskey: [
    { key: "RESET_PASSWORD_WITH_PASSKEY", defaultLimit: "10/1h", by: "ip" },
    { key: "RESET_PASSWORD_WITH_PASSKEY_ACCOUNT", defaultLimit: "5/1h", by: "ip", identityArgs: ["input.username"] },
  ],
  verifyTwoFactorLogin: [{ key: "VERIFY_TWO_FACTOR_LOGIN", defaultLimit: "10/1m", by: "ip" }],
  // The lockout stops guessing; this caps the hashing work one signed-in user can ask for.
  reauthenticate: [{ key: "REAUTHENTICATE", defaultLimit: "10/1m", by: "user" }],
  finishPasskeyReauthentication: [{ key: "FINISH_PASSKEY_REAUTHENTICATION", defaultLimit: "10/1m", by: "user" }],
  setSecretPasskey: [{ key: "SET_SECRET_PASSKEY", defaultLimit: "10/1m", by: "user" }],
  refreshSession: [{ key: "REFRESH_SESSION", defaultLimit: "60/1m", by: "ip" }],
  uploadAvatar: [{ key: "UPLOAD_AVATAR", defaultLimit: "10/1m", by: "user" }],
  searchUsers: [{ key: "SEARCH_USERS", defaultLimit: "120/1m", by: "user" }],
  startOAuthLogin: [{ key: "START_OAUTH_LOGIN", defaultLimit: "30/1m", by: "ip" }],
  completeOAuthLogin: [{ key: "COMPLETE_OAUTH_LOGIN", defaultLimit: "30/1m", by: "ip" }],
  linkOAuthAccount: [{ key: "LINK_OAUTH_ACCOUNT", defaultLimit: "10/1m", by: "user" }],
  // Passkey sign-in is limited like login: per IP (and per identifier at begin), plus an IP-wide cap.
  beginPasskeyLogin: [
    { key: "BEGIN_PASSKEY_LOGIN", defaultLimit: "10/1m", by: "ip", identityArgs: ["identifier"] },
    { key: "BEGIN_PASSKEY_LOGIN_IP", defaultLimit: "100/1m", by: "ip" },
  ],
  // Signatures cannot be guessed; this caps the verification work one IP can ask for.
  finishPasskeyLogin: [{ key: "FINISH_PASSKEY_LOGIN", defaultLimit: "100/1m", by: "ip" }],
  // Sign-in codes by mail: per address and IP, and IP-wide; EMAIL_CODE_ADDRESS below caps an address across IPs.
  requestEmailCode: [
    { key: "REQUEST_EMAIL_CODE", defaultLimit: "5/1h", by: "ip", identityArgs: ["email"] },
    { key: "REQUEST_EMAIL_CODE_IP", defaultLimit: "60/1h", by: "ip" },
  ],
  // Each challenge takes at most 5 codes; this caps the tries one IP makes over many challenges
  // (generous enough for an office behind one address: two tries per code it may request).
  signInWithEmailCode: [{ key: "SIGN_IN_WITH_EMAIL_CODE", defaultLimit: "120/1h", by: "ip" }],
  beginPasskeyRegistration: [{ key: "BEGIN_PASSKEY_REGISTRATION", defaultLimit: "10/1m", by: "user" }],
  finishPasskeyRegistration: [{ key: "FINISH_PASSKEY_REGISTRATION", defaultLimit: "10/1m", by: "user" }],
  // Sign-in links: per address and IP, and per IP; MAGIC_LINK_RECIPIENT caps one address across IPs.
  requestMagicLink: [
    { key: "REQUEST_MAGIC_LINK", defaultLimit: "5/1h", by: "ip", identityArgs: ["email"] },
    { key: "REQUEST_MAGIC_LINK_IP", defaultLimit: "30/1h", by: "ip" },
  ],
  // Tokens cannot be guessed; this caps the lookups one IP can ask for.
  signInWithMagicLink: [{ key: "SIGN_IN_WITH_MAGIC_LINK", defaultLimit: "30/1m", by: "ip" }],
};

/**
 * Limits a service counts itself, in the database (so they hold across processes), on what a
 * call does rather than on the call: RATE_LIMIT_<KEY>=max/window like the others.
 */
export const SERVICE_RATE_LIMITS: Array<{ key: string; defaultLimit: string }> = [
  // E-mail changes one account may ask for (each mails the new address and notices the old).
  { key: "EMAIL_CHANGE", defaultLimit: "5/1h" },
  // Confirmation mails one address may receive, whichever accounts ask (held back silently beyond).
  { key: "EMAIL_CHANGE_RECIPIENT", defaultLimit: "10/1h" },
  // Sign-in codes one address may be sent, from any IP (also counted for addresses without an account).
  { key: "EMAIL_CODE_ADDRESS", defaultLimit: "10/1h" },
  // Invitations (and resends) one organization may send, whoever sends them.
  { key: "INVITATIONS", defaultLimit: "50/1h" },
  // Sign-in links one address may receive, whoever asks (held back silently beyond).
  { key: "MAGIC_LINK_RECIPIENT", defaultLimit: "10/1h" },
];

export const RATE_LIMIT_KEYS = [
  ...Object.values(RATE_LIMIT_RULES).flatMap((rules) => rules.map((rule) => rule.key)),
  ...SERVICE_RATE_LIMITS.map((limit) => limit.key),
];

/**
 * Every key's limit: its RATE_LIMIT_<KEY> setting when the configuration has one (null: off),
 * else its default. The configuration checks each setting's form; the keys are known here.
 */
export function rateLimitsWithDefaults(overrides: Config["rateLimitOverrides"]): Record<string, RateLimit | null> {
  const defaults = [...Object.values(RATE_LIMIT_RULES).flat(), ...SERVICE_RATE_LIMITS];
  return Object.fromEntries(
    defaults.map(({ key, defaultLimit }) => [key, key in overrides ? overrides[key] : parseRateLimit(defaultLimit, `RATE_LIMIT_${key}`)]),
  );
}
