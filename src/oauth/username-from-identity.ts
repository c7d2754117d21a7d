import { randomInt } from "node:crypto";
import { USERNAME_PATTERN } from "../accounts";
import type { ProviderIdentity } from "./provider-identity";

const MAX_LENGTH = 32;

/** Letters and digits kept (accents dropped), spaces become dots, anything else goes. */
function sanitize(raw: string): string {
  return raw
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/\s+/g, ".")
    .replace(/[^A-Za-z0-9._-]/g, "")
    .replace(/([._-])[._-]+/g, "$1")
    .replace(/^[._-]+|[._-]+$/g, "")
    .slice(0, MAX_LENGTH);
}

/** The username a new account starts from: the provider's username, the e-mail's local part or the name. */
export function baseUsername(identity: Pick<ProviderIdentity, "preferredUsername" | "email" | "name">): string {
  const sources = [identity.preferredUsername, identity.email?.split("@")[0], identity.name];
  for (const source of sources) {
    if (!source) continue;
    const candidate = sanitize(source);
    if (USERNAME_PATTERN.test(candidate)) return candidate;
  }
  return "user";
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
