import { createHmac, hkdfSync } from "node:crypto";

/**
 * HMAC-SHA-256 under a key derived from APP_SECRET for one purpose (HKDF, as SecretBox derives
 * its keys): a stored digest that a database dump alone cannot brute-force, or a value that is
 * stable for an input yet unpredictable without the secret.
 */
export class KeyedHash {
  private readonly key: Buffer;

  constructor(appSecret: string, purpose: string) {
    this.key = Buffer.from(hkdfSync("sha256", appSecret, "latchkey", `keyed-hash:${purpose}`, 32));
  }

  /** The raw 32-byte MAC of the value. */
  digest(value: string | Buffer): Buffer {
    return createHmac("sha256", this.key).update(value).digest();
  }

  /** The MAC of the value in base64url. */
  hash(value: string | Buffer): string {
    return this.digest(value).toString("base64url");
  }
}
