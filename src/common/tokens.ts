import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random 256-bit, URL-safe secret (refresh tokens, reset and verification links). */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** One-time secrets are stored only as this hash; lookups are by hash, so no compare leaks. */
export function sha256(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("base64url");
}

/** Constant-time comparison of two strings of any length. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
