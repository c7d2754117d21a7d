import { createHash, randomBytes } from "node:crypto";
import { sha256 } from "../common/tokens";

/** Every personal access token starts with this, so secret scanners can find leaked ones. */
export const TOKEN_PREFIX = "lk_pat_";
const RANDOM_CHARS = 43; // 32 random bytes in base64url
const CHECKSUM_CHARS = 6;

/**
 * The secret's shape: the prefix, 32 random bytes (base64url) and a 6-character checksum of them
 * (the start of their SHA-256 in hex), so a scanner can tell a real token from a look-alike
 * offline, without asking the API. 56 characters in all. The checksum is hex so that a secret
 * always ends in a letter or digit: a scanner's word boundary (`\b`) after a secret ending in
 * "-" or "_" would miss it.
 */
export const TOKEN_PATTERN = /^lk_pat_[A-Za-z0-9_-]{43}[0-9a-f]{6}$/;

const checksumOf = (random: string) => createHash("sha256").update(random, "utf8").digest("hex").slice(0, CHECKSUM_CHARS);

/** A new secret: lk_pat_ + 256 random bits + checksum. */
export function newTokenSecret(): string {
  const random = randomBytes(32).toString("base64url");
  return `${TOKEN_PREFIX}${random}${checksumOf(random)}`;
}

/** Whether a string is shaped like a token and its checksum matches (no database involved). */
export function isWellFormedTokenSecret(value: string): boolean {
  if (!TOKEN_PATTERN.test(value)) return false;
  const random = value.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + RANDOM_CHARS);
  return value.slice(TOKEN_PREFIX.length + RANDOM_CHARS) === checksumOf(random);
}

/** What the table keeps of a secret: its SHA-256, the key it is looked up by. */
export function tokenHashOf(secret: string): string {
  return sha256(secret);
}
