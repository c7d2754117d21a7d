import { randomInt } from "node:crypto";
import { sha256 } from "../common/tokens";
import type { KeyedHash } from "../common/keyed-hash";

// Backup codes: the API calls them recovery codes (RecoveryCodes, regenerateRecoveryCodes); named
// apart here so they are not taken for account recovery (recovery/: password and passkey reset).

export const BACKUP_CODE_COUNT = 10;

// Crockford's base32: no i, l, o, u, so codes survive being read aloud or written down.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const GROUP = 5;
const LENGTH = 2 * GROUP; // 10 symbols of 5 bits: 50 bits each

/** Fresh codes shown to the user once, formatted "xxxxx-xxxxx". */
export function newBackupCodes(count = BACKUP_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let symbols = "";
    for (let i = 0; i < LENGTH; i++) symbols += ALPHABET[randomInt(ALPHABET.length)];
    return `${symbols.slice(0, GROUP)}-${symbols.slice(GROUP)}`;
  });
}

/**
 * The canonical form of a typed backup code, or undefined when it cannot be one: case,
 * spaces and hyphens do not matter, and the look-alikes i/l and o read as 1 and 0.
 */
export function normalizeBackupCode(code: string): string | undefined {
  const symbols = code.toLowerCase().replace(/[\s-]+/g, "").replace(/[il]/g, "1").replace(/o/g, "0");
  if (symbols.length !== LENGTH) return undefined;
  for (const symbol of symbols) if (!ALPHABET.includes(symbol)) return undefined;
  return symbols;
}

/**
 * The unkeyed digest of a code, bound to the user so that equal codes of two users differ. It
 * was once stored as is, and 50-bit codes under a plain SHA-256 fall to offline guessing after
 * a database dump; it is now only the input of the keyed hash below.
 */
export function legacyBackupCodeDigest(userId: string, canonicalCode: string): string {
  return sha256(`${userId}:${canonicalCode}`);
}

/** Marks a stored value as keyed; a value without it is a legacy unkeyed digest. */
export const KEYED_PREFIX = "h1.";

/**
 * What is stored: HMAC-SHA-256, under a key derived from APP_SECRET, of the legacy digest. Keying
 * the old digest (rather than the code) lets rows stored before the key existed be upgraded in
 * place without knowing their codes.
 */
export function keyedBackupCodeHash(key: KeyedHash, legacyDigest: string): string {
  return KEYED_PREFIX + key.hash(legacyDigest);
}
