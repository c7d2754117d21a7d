import { randomInt } from "node:crypto";
import { USERNAME_PATTERN } from "./identity-rules";

const MAX_LENGTH = 32;

/**
 * `raw` (a provider's username or name, an address's local part) as a username: letters and
 * digits kept (accents dropped), spaces become dots, anything else goes; "" when nothing is left.
 */
export function sanitizeUsername(raw: string): string {
  return raw
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/\s+/g, ".")
    .replace(/[^A-Za-z0-9._-]/g, "")
    .replace(/([._-])[._-]+/g, "$1")
    .replace(/^[._-]+|[._-]+$/g, "")
    .slice(0, MAX_LENGTH);
}

/**
 * For accounts made without a chosen username (sign-up through a provider or by e-mailed link):
 * the base, then numbered and random variants, all valid usernames; the caller picks the first
 * free one.
 */
export function usernameCandidates(base: string): string[] {
  const withSuffix = (suffix: string) => `${base.slice(0, MAX_LENGTH - suffix.length).replace(/[._-]+$/, "")}${suffix}`;
  return [
    base,
    ...[2, 3, 4, 5].map((n) => withSuffix(String(n))),
    ...Array.from({ length: 3 }, () => withSuffix(`_${randomInt(100_000, 1_000_000)}`)),
  ].filter((name) => USERNAME_PATTERN.test(name));
}
