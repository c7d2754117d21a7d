import { domainToASCII } from "node:url";
import isEmail from "validator/lib/isEmail";
import { Errors } from "../common/app-error";

/**
 * The one rule for e-mail addresses, used wherever an address enters (sign-up, profile change,
 * password reset, sign-in by e-mail, provider identities).
 *
 * - A bare addr-spec only: no display name, comment, angle brackets, quoted local part,
 *   whitespace or control character (`Support<victim@corp.test>` and `(x)victim@corp.test` are
 *   refused, not read as victim@corp.test).
 * - The local part must be ASCII (a dot-atom): a non-ASCII local part is refused rather than
 *   folded, so no two distinct mailboxes (`\u212Aate` and `kate`) ever compare equal. It is kept
 *   as typed and compared case-insensitively (ASCII case only).
 * - The domain is IDNA-normalised (UTS #46, node's domainToASCII) and lower-cased: it is stored
 *   and mailed in its ASCII (punycode) form, so what is compared is exactly where mail goes.
 *   A trailing dot is refused.
 * - At most 254 characters, local part at most 64.
 */
export interface EmailAddress {
  /** The address to store and mail: local part as typed, ASCII lower-case domain. */
  address: string;
  /** The form uniqueness and look-ups compare: the address with its local part lower-cased. */
  normalized: string;
}

const MAX_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// Characters that never belong in a bare address, whichever side of the @.
const FORBIDDEN = /[\s\p{Cc}\p{Cf}<>()[\]\\",;:]/u;

/** The canonical form of an address, or null when it is not a bare, acceptable addr-spec. */
export function parseEmailAddress(input: string): EmailAddress | null {
  if (typeof input !== "string") return null;
  const value = input.trim();
  if (value.length === 0 || value.length > MAX_LENGTH * 4 || FORBIDDEN.test(value)) return null;
  const at = value.lastIndexOf("@");
  if (at <= 0 || value.indexOf("@") !== at) return null;
  const local = value.slice(0, at);
  const domainInput = value.slice(at + 1);
  if (local.length > MAX_LOCAL_LENGTH || !DOT_ATOM.test(local)) return null;
  if (domainInput.endsWith(".")) return null;
  const domain = domainToASCII(domainInput).toLowerCase();
  if (!domain || domain.endsWith(".")) return null;
  const address = `${local}@${domain}`;
  if (address.length > MAX_LENGTH) return null;
  if (!isEmail(address, { allow_display_name: false, require_display_name: false, allow_utf8_local_part: false, allow_ip_domain: false, require_tld: true })) {
    return null;
  }
  return { address, normalized: `${local.toLowerCase()}@${domain}` };
}

/** The canonical address, or BAD_USER_INPUT on `field`. */
export function canonicalEmail(input: string, field = "email"): EmailAddress {
  const parsed = parseEmailAddress(input);
  if (!parsed) throw Errors.badInput(field, "E-mail address is not valid");
  return parsed;
}

/**
 * The comparison form of an address for look-ups (sign-in, reset); "" for input that is not a
 * valid address, which matches no account (no stored address is empty).
 */
export function emailLookupKey(input: string): string {
  return parseEmailAddress(input)?.normalized ?? "";
}

/** For notices: the first character of the local part and the domain, `k***@corp.test`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${address[0]}***@${address.slice(at + 1)}`;
}
