/**
 * Claims of access tokens whose signature this process has already verified, by the exact
 * token string (signature included, so a forged token never matches). A client sends the same
 * token on every request until it expires; verifying Ed25519 again each time is the largest
 * cost of an authenticated request. Bounded; the least recently used entries go first.
 * Expiry is still checked on every hit, and revocation is not decided here at all.
 */
export class VerifiedTokenCache<Claims extends { exp: number }> {
  private readonly entries = new Map<string, Claims>();

  constructor(private readonly maxEntries = 10_000) {}

  get(token: string): Claims | undefined {
    const claims = this.entries.get(token);
    if (claims === undefined) return undefined;
    // Move to the back: Map iteration order is insertion order.
    this.entries.delete(token);
    this.entries.set(token, claims);
    return claims;
  }

  set(token: string, claims: Claims): void {
    if (this.maxEntries <= 0) return;
    this.entries.set(token, claims);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(token: string): void {
    this.entries.delete(token);
  }
}
