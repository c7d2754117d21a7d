import { randomInt } from "node:crypto";
import { sha256 } from "../common/tokens";

export const RECOVERY_CODE_COUNT = 10;

// Crockford's base32: no i, l, o, u, so codes survive being read aloud or written down.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const GROUP = 5;
const LENGTH = 2 * GROUP; // 10 symbols of 5 bits: 50 bits each

/** Fresh codes shown to the user once, formatted "xxxxx-xxxxx". */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let symbols = "";
    for (let i = 0; i < LENGTH; i++) symbols += ALPHABET[randomInt(ALPHABET.length)];
    return `${symbols.slice(0, GROUP)}-${symbols.slice(GROUP)}`;
  });
}

/**
 * The canonical form of a typed recovery code, or undefined when it cannot be one: case,
 * spaces and hyphens do not matter, and the look-alikes i/l and o read as 1 and 0.
 */
export function normalizeRecoveryCode(code: string): string | undefined {
  const symbols = code.toLowerCase().replace(/[\s-]+/g, "").replace(/[il]/g, "1").replace(/o/g, "0");
  if (symbols.length !== LENGTH) return undefined;
  for (const symbol of symbols) if (!ALPHABET.includes(symbol)) return undefined;
  return symbols;
}

/** What is stored: a hash bound to the user, so equal codes of two users never share a row hash. */
export function recoveryCodeHash(userId: string, canonicalCode: string): string {
  return sha256(`${userId}:${canonicalCode}`);
}
