import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { NewSigningKey, SigningKeyStore } from "./signing-key.store";
import type { SecretBox } from "../common/secret-box";
import type { Clock } from "../common/clock";
import { ConfigError } from "../config/config-error";

export const SIGNING_ALG = "EdDSA";

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  publicKey: CryptoKey;
  privateKey?: CryptoKey;
  createdAt: Date;
  retiredAt: Date | null;
}

/**
 * Ed25519 signing keys kept in the database (private half sealed with APP_SECRET), cached in
 * memory. The newest key signs; older ones verify and stay published until their tokens expire.
 */
export class SigningKeys {
  private keys = new Map<string, LoadedKey>();
  private lastReload = 0;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly maxTokenLifetimeMs: number,
  ) {}

  /** Loads the keys, creating the first one on a new database. */
  async init(): Promise<void> {
    await this.reload();
    if (this.currentKey()) return;
    await this.store.insertFirst(() => this.newKey().then(({ row }) => row));
    await this.reload();
  }

  /** Stores a new key (it signs from the next reload on) and returns its kid. */
  async create(): Promise<string> {
    const { kid, row } = await this.newKey();
    await this.store.insert(row);
    return kid;
  }

  private async newKey(): Promise<{ kid: string; row: NewSigningKey }> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { crv: "Ed25519", extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
    const privateJwk = await exportJWK(privateKey);
    return {
      kid,
      row: {
        kid,
        alg: SIGNING_ALG,
        publicJwk: JSON.stringify(publicJwk),
        privateJwkEncrypted: this.box.seal(JSON.stringify(privateJwk)),
        createdAt: this.clock.now(),
      },
    };
  }

  /**
   * Makes a new current key and retires the others. Tokens they signed keep verifying: retired
   * keys stay published until the longest access token they could have signed has expired.
   */
  async rotate(): Promise<string> {
    const now = this.clock.now();
    const kid = await this.create();
    await this.store.retireAllExcept(kid, now);
    await this.reload();
    return kid;
  }

  /** Picks up keys rotated by another process. */
  refresh(): Promise<void> {
    return this.reload();
  }

  /** The key that signs new tokens: the newest one not retired. */
  currentKey(): (LoadedKey & { privateKey: CryptoKey }) | undefined {
    let newest: LoadedKey | undefined;
    for (const key of this.keys.values()) {
      if (key.retiredAt || !key.privateKey) continue;
      if (!newest || key.createdAt > newest.createdAt) newest = key;
    }
    return newest as (LoadedKey & { privateKey: CryptoKey }) | undefined;
  }

  /** The public key for a kid; an unknown kid may be a key another process just made. */
  async publicKey(kid: string): Promise<CryptoKey | undefined> {
    const known = this.keys.get(kid);
    if (known) return known.publicKey;
    if (Date.now() - this.lastReload > 5_000) await this.reload();
    return this.keys.get(kid)?.publicKey;
  }

  /** The JWKS document: every key whose tokens may still be valid. */
  jwks(): { keys: JWK[] } {
    const horizon = this.clock.now().getTime() - this.maxTokenLifetimeMs;
    return {
      keys: [...this.keys.values()]
        .filter((key) => !key.retiredAt || key.retiredAt.getTime() > horizon)
        .map((key) => key.publicJwk),
    };
  }

  private async reload(): Promise<void> {
    this.lastReload = Date.now();
    const rows = await this.store.findAll();
    const next = new Map<string, LoadedKey>();
    for (const row of rows) {
      const existing = this.keys.get(row.kid);
      if (existing) {
        next.set(row.kid, { ...existing, retiredAt: row.retiredAt });
        continue;
      }
      const publicJwk = JSON.parse(row.publicJwk) as JWK;
      next.set(row.kid, {
        kid: row.kid,
        publicJwk,
        publicKey: (await importJWK(publicJwk, SIGNING_ALG)) as CryptoKey,
        privateKey: (await importJWK(JSON.parse(this.openPrivateJwk(row.privateJwkEncrypted)), SIGNING_ALG)) as CryptoKey,
        createdAt: row.createdAt,
        retiredAt: row.retiredAt,
      });
    }
    this.keys = next;
  }

  // The first secret opened at start: when it does not open, APP_SECRET is not the one the data
  // was made with, and the cipher's own "unable to authenticate data" would not tell anyone that.
  private openPrivateJwk(sealed: string): string {
    try {
      return this.box.open(sealed);
    } catch {
      throw new ConfigError(
        "APP_SECRET differs from the one the data in this database was made with (its signing keys cannot be opened): " +
          "set APP_SECRET back to that value (without APP_SECRET outside production: restore DATA_DIR/app-secret); " +
          "the keys, two-factor and webhook secrets cannot be read without it",
        "APP_SECRET",
      );
    }
  }
}
