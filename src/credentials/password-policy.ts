import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** Fewer distinct characters than this (aaaaaaaaaaaa, abababababab) is a repetition, not a secret. */
export const MIN_DISTINCT_CHARACTERS = 4;

/** Machine-readable reasons a password is refused (PASSWORD_POLICY's extensions.reasons). */
export const PasswordPolicyReason = {
  TOO_SHORT: "TOO_SHORT",
  TOO_LONG: "TOO_LONG",
  COMMON: "COMMON",
  MATCHES_USERNAME: "MATCHES_USERNAME",
  MATCHES_EMAIL: "MATCHES_EMAIL",
  REUSED: "REUSED",
  REPETITIVE: "REPETITIVE",
} as const;
export type PasswordPolicyReason = (typeof PasswordPolicyReason)[keyof typeof PasswordPolicyReason];

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  // Only entries that could pass the length rule matter; the rest would be refused anyway.
  common ??= new Set(
    (dictionary["passwords-common"] as string[]).filter((p) => p.length >= PASSWORD_MIN_LENGTH).map((p) => p.toLowerCase()),
  );
  return common;
}

/** NFKC, so that look-alike forms of the same password are the same password. */
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

/** Length in characters (code points), not UTF-16 units. */
function length(text: string): number {
  return [...text].length;
}

export function passwordPolicyViolations(
  password: string,
  context: { username?: string | null; email?: string | null },
): PasswordPolicyReason[] {
  const normalized = normalizePassword(password);
  const reasons: PasswordPolicyReason[] = [];
  const size = length(normalized);
  if (size < PASSWORD_MIN_LENGTH) reasons.push(PasswordPolicyReason.TOO_SHORT);
  if (size > PASSWORD_MAX_LENGTH) reasons.push(PasswordPolicyReason.TOO_LONG);
  const lower = normalized.toLowerCase();
  if (commonPasswords().has(lower)) reasons.push(PasswordPolicyReason.COMMON);
  if (size > 0 && new Set(lower).size < MIN_DISTINCT_CHARACTERS) reasons.push(PasswordPolicyReason.REPETITIVE);
  if (context.username && lower === context.username.normalize("NFKC").toLowerCase()) {
    reasons.push(PasswordPolicyReason.MATCHES_USERNAME);
  }
  if (context.email && lower === context.email.normalize("NFKC").toLowerCase()) {
    reasons.push(PasswordPolicyReason.MATCHES_EMAIL);
  }
  return reasons;
}

export const PASSWORD_POLICY_MESSAGES: Record<PasswordPolicyReason, string> = {
  TOO_SHORT: `at least ${PASSWORD_MIN_LENGTH} characters`,
  TOO_LONG: `at most ${PASSWORD_MAX_LENGTH} characters`,
  COMMON: "not a commonly used password",
  MATCHES_USERNAME: "not the same as the username",
  MATCHES_EMAIL: "not the same as the e-mail address",
  REUSED: "not one of your last 5 passwords",
  REPETITIVE: `made of at least ${MIN_DISTINCT_CHARACTERS} different characters`,
};
