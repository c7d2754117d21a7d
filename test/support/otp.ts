// An independent HOTP (RFC 4226) / TOTP (RFC 6238) implementation for the tests, written from
// the RFCs with node:crypto, so the server's codes are checked against something it does not share.
import { createHmac } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32, padding and case ignored. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 section 5.3: HMAC-SHA-1 over the 8-byte big-endian counter, dynamic truncation. */
export function hotp(key: Buffer, counter: number | bigint, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hash = createHmac("sha1", key).update(message).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const binary =
    ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** RFC 6238: HOTP with T = floor((unixTime - T0) / X), T0 = 0, X = 30 s. */
export function totp(key: Buffer, unixSeconds: number, digits = 6, stepSeconds = 30): string {
  return hotp(key, Math.floor(unixSeconds / stepSeconds), digits);
}

export function totpStep(at: Date, stepSeconds = 30): number {
  return Math.floor(at.getTime() / 1000 / stepSeconds);
}

/** The 6-digit TOTP code an authenticator app shows for a base32 secret at a given time. */
export function totpFor(secretBase32: string, at: Date): string {
  return totp(base32Decode(secretBase32), Math.floor(at.getTime() / 1000));
}

/** The 6-digit HOTP code for a base32 secret and counter value. */
export function hotpFor(secretBase32: string, counter: number): string {
  return hotp(base32Decode(secretBase32), counter);
}
