import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { NewSigningKey, SigningKeyStore } from "./signing-key.store";
import type { SecretBox } from "../common/secret-box";
import type { Clock } from "../common/clock";
import { ConfigError } from "../config/config-error";

/** Access tokens are signed with Ed25519. */
export const SIGNING_ALG = "EdDSA";
/** The OpenID Provider's ID tokens are signed RS256 by default (what every relying party verifies). */
export const ID_TOKEN_ALG = "RS256";
/** Every algorithm the key store keeps a current key for. */
export const KEY_ALGS = [SIGNING_ALG, ID_TOKEN_ALG] as const;
export type KeyAlg = (typeof KEY_ALGS)[number];

interface LoadedKey {
  kid: string;
  alg: KeyAlg;
  publicJwk: JWK;
  publicKey: CryptoKey;
  privateKey?: CryptoKey;
  createdAt: Date;
  retiredAt: Date | null;
}

/**
 * Signing keys kept in the database (private half sealed with APP_SECRET), cached in memory:
 * Ed25519 for access tokens, RSA for the OpenID Provider's ID tokens. For each algorithm the
 * newest key signs; older ones verify and stay published until their tokens expire.
 */
export class SigningKeys {
  private keys = new Map<string, LoadedKey>();
  private privateJwks = new Map<string, JWK>();
  private lastReload = 0;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly maxTokenLifetimeMs: number,
  ) {}

  /** Loads the keys, creating the first one of each algorithm on a new database (or one made before RS256 keys). */
  async init(): Promise<void> {
    await this.reload();
    let created = false;
    for (const alg of KEY_ALGS) {
      if (this.currentKey(alg)) continue;
      await this.store.insertFirst(alg, () => this.newKey(alg).then(({ row }) => row));
      created = true;
    }
    if (created) await this.reload();
  }

  /** Stores a new key (it signs from the next reload on) and returns its kid. */
  async create(alg: KeyAlg = SIGNING_ALG): Promise<string> {
    const { kid, row } = await this.newKey(alg);
    await this.store.insert(row);
    return kid;
  }

  private async newKey(alg: KeyAlg): Promise<{ kid: string; row: NewSigningKey }> {
    const { publicKey, privateKey } =
      alg === SIGNING_ALG
        ? await generateKeyPair(alg, { crv: "Ed25519", extractable: true })
        : await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
    const privateJwk = await exportJWK(privateKey);
    return {
      kid,
      row: {
        kid,
        alg,
        publicJwk: JSON.stringify(publicJwk),
        privateJwkEncrypted: this.box.seal(JSON.stringify(privateJwk)),
        createdAt: this.clock.now(),
      },
    };
  }

  /**
   * Makes a new current key of each algorithm and retires the others. Tokens they signed keep
   * verifying: retired keys stay published until the longest token they could have signed has
   * expired. Returns the new access-token (EdDSA) key's kid.
   */
  async rotate(): Promise<string> {
    const now = this.clock.now();
    const kids = new Map<KeyAlg, string>();
    for (const alg of KEY_ALGS) kids.set(alg, await this.create(alg));
    await this.store.retireAllExcept([...kids.values()], now);
    await this.reload();
    return kids.get(SIGNING_ALG)!;
  }

  /** Picks up keys rotated by another process. */
  refresh(): Promise<void> {
    return this.reload();
  }

  /** The key that signs new tokens of an algorithm: the newest one not retired. */
  currentKey(alg: KeyAlg = SIGNING_ALG): (LoadedKey & { privateKey: CryptoKey }) | undefined {
    let newest: LoadedKey | undefined;
    for (const key of this.keys.values()) {
      if (key.alg !== alg || key.retiredAt || !key.privateKey) continue;
      if (!newest || key.createdAt > newest.createdAt) newest = key;
    }
    return newest as (LoadedKey & { privateKey: CryptoKey }) | undefined;
  }

  /** The public access-token key for a kid; an unknown kid may be a key another process just made. */
  async publicKey(kid: string): Promise<CryptoKey | undefined> {
    const known = this.keys.get(kid);
    if (known) return known.alg === SIGNING_ALG ? known.publicKey : undefined;
    if (Date.now() - this.lastReload > 5_000) await this.reload();
    const loaded = this.keys.get(kid);
    return loaded?.alg === SIGNING_ALG ? loaded.publicKey : undefined;
  }

  private published(): LoadedKey[] {
    const horizon = this.clock.now().getTime() - this.maxTokenLifetimeMs;
    return [...this.keys.values()].filter((key) => !key.retiredAt || key.retiredAt.getTime() > horizon);
  }

  /** The access tokens' JWKS document (/.well-known/jwks.json): every Ed25519 key whose tokens may still be valid. */
  jwks(): { keys: JWK[] } {
    return { keys: this.published().filter((key) => key.alg === SIGNING_ALG).map((key) => key.publicJwk) };
  }

  /**
   * The OpenID Provider's signing keys as private JWKs (the engine publishes their public
   * halves at its jwks endpoint): every published key, each algorithm's current key first, so
   * the current one signs and retired ones still verify.
   */
  providerJwks(): { keys: JWK[] } {
    const current = new Set(KEY_ALGS.map((alg) => this.currentKey(alg)?.kid));
    const keys = this.published().sort((a, b) => Number(current.has(b.kid)) - Number(current.has(a.kid)) || b.createdAt.getTime() - a.createdAt.getTime());
    return { keys: keys.map((key) => ({ ...this.privateJwks.get(key.kid)!, kid: key.kid, alg: key.alg, use: "sig" })) };
  }

  /** The kids of the keys providerJwks() lists: when they change, the provider's keystore is stale. */
  providerKeyVersion(): string {
    return this.providerJwks().keys.map((key) => key.kid).join(",");
  }

  private async reload(): Promise<void> {
    this.lastReload = Date.now();
    const rows = await this.store.findAll();
    const next = new Map<string, LoadedKey>();
    const privateJwks = new Map<string, JWK>();
    for (const row of rows) {
      const alg = row.alg as KeyAlg;
      if (!KEY_ALGS.includes(alg)) continue;
      const existing = this.keys.get(row.kid);
      if (existing) {
        next.set(row.kid, { ...existing, retiredAt: row.retiredAt });
        privateJwks.set(row.kid, this.privateJwks.get(row.kid)!);
        continue;
      }
      const publicJwk = JSON.parse(row.publicJwk) as JWK;
      const privateJwk = JSON.parse(this.openPrivateJwk(row.privateJwkEncrypted)) as JWK;
      privateJwks.set(row.kid, privateJwk);
      next.set(row.kid, {
        kid: row.kid,
        alg,
        publicJwk,
        publicKey: (await importJWK(publicJwk, alg)) as CryptoKey,
        privateKey: (await importJWK(privateJwk, alg)) as CryptoKey,
        createdAt: row.createdAt,
        retiredAt: row.retiredAt,
      });
    }
    this.keys = next;
    this.privateJwks = privateJwks;
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
