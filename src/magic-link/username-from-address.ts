import { randomInt } from "node:crypto";
import { USERNAME_PATTERN } from "../accounts";

const MAX_LENGTH = 32;

/** The username a sign-up by link starts from: the address's local part, cleaned; "user" when nothing is left. */
export function baseUsername(email: string): string {
  const candidate = (email.split("@")[0] ?? "")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9._-]/g, "")
    .replace(/([._-])[._-]+/g, "$1")
    .replace(/^[._-]+|[._-]+$/g, "")
    .slice(0, MAX_LENGTH);
  return USERNAME_PATTERN.test(candidate) ? candidate : "user";
}

/** The base, then numbered and random variants, all valid usernames; the caller picks the first free one. */
export function usernameCandidates(base: string): string[] {
  const withSuffix = (suffix: string) => `${base.slice(0, MAX_LENGTH - suffix.length).replace(/[._-]+$/, "")}${suffix}`;
  return [
    base,
    ...[2, 3, 4, 5].map((n) => withSuffix(String(n))),
    ...Array.from({ length: 3 }, () => withSuffix(`_${randomInt(100_000, 1_000_000)}`)),
  ].filter((name) => USERNAME_PATTERN.test(name));
}
