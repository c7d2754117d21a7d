import { createHmac } from "node:crypto";
import { availableParallelism } from "node:os";
import * as argon2 from "@node-rs/argon2";
import pLimit from "p-limit";
import { BcryptPool } from "./bcrypt-pool";
import type { PasswordHashAlgorithm } from "../config";
import { safeEqual } from "../common/tokens";
import { inSpan, tracingEnabled } from "../tracing/spans";

// OWASP's argon2id parameters (m=19 MiB, t=2, p=1). @node-rs/argon2 runs on libuv's pool.
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 as argon2.Algorithm };
const ARGON2_PREFIX = `$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`;

// bcrypt reads only 72 bytes. New bcrypt hashes pre-hash the password with HMAC-SHA256 keyed by
// the salt (passlib's self-describing "$bcrypt-sha256$v=2" format), so long passwords are never cut.
const BCRYPT_SHA256 = /^\$bcrypt-sha256\$v=2,t=(2a|2b|2y),r=(\d{2})\$([./A-Za-z0-9]{22})\$([./A-Za-z0-9]{31})$/;
const RAW_BCRYPT = /^\$(2a|2b|2y)\$(\d{2})\$/;

// The span attribute naming the algorithm of a hash or verify.
const ALGORITHM = "latchkey.password.algorithm";

/** The algorithm a stored hash was made with, from its prefix alone. */
function algorithmOf(hash: string): string {
  const argon2Variant = /^\$(argon2(?:id|i|d))\$/.exec(hash);
  if (argon2Variant) return argon2Variant[1];
  if (hash.startsWith("$bcrypt-sha256$")) return "bcrypt-sha256";
  return RAW_BCRYPT.test(hash) ? "bcrypt" : "unknown";
}

export interface PasswordHasherOptions {
  algorithm: PasswordHashAlgorithm;
  bcryptCost: number;
  /** The argon2 implementation (tests wrap the real one to watch how many hashes run at once). */
  argon2?: Argon2;
}

type Argon2 = Pick<typeof argon2, "hash" | "verify">;

/** Hashes and verifies passwords and secret passkeys; any supported hash verifies. */
export class PasswordHasher {
  private dummyHash?: Promise<string>;
  private readonly bcrypt = new BcryptPool();
  /**
   * argon2 runs on libuv's pool (4 threads by default). At most one hash per core at a time:
   * more would not hash faster on these cores, but would take CPU from the event loop (cheap
   * requests wait behind a login storm) and hold every pool thread that DNS lookups and file
   * writes also need.
   */
  private readonly argon2Slots = pLimit(availableParallelism());
  private readonly argon2: Argon2;

  constructor(private readonly options: PasswordHasherOptions) {
    this.argon2 = options.argon2 ?? argon2;
  }

  close(): Promise<void> {
    return this.bcrypt.close();
  }

  hash(secret: string): Promise<string> {
    if (!tracingEnabled()) return this.hashWith(secret);
    const algorithm = this.options.algorithm === "bcrypt" ? "bcrypt-sha256" : "argon2id";
    return inSpan("password hash", { [ALGORITHM]: algorithm }, () => this.hashWith(secret));
  }

  /** The span names the algorithm only: never the secret, the hash or its salt. */
  verify(secret: string, hash: string): Promise<boolean> {
    if (!tracingEnabled()) return this.verifyWith(secret, hash);
    return inSpan("password verify", { [ALGORITHM]: algorithmOf(hash) }, () => this.verifyWith(secret, hash));
  }

  private async hashWith(secret: string): Promise<string> {
    if (this.options.algorithm === "bcrypt") return this.bcryptSha256(secret, await this.bcrypt.genSalt(this.options.bcryptCost));
    return this.argon2Slots(() => this.argon2.hash(secret, ARGON2));
  }

  private async verifyWith(secret: string, hash: string): Promise<boolean> {
    if (hash.startsWith("$argon2")) {
      try {
        return await this.argon2Slots(() => this.argon2.verify(hash, secret));
      } catch {
        return false;
      }
    }
    const pre = BCRYPT_SHA256.exec(hash);
    if (pre) {
      const [, variant, cost, salt] = pre;
      return safeEqual(await this.bcryptSha256(secret, `$${variant}$${cost}$${salt}`), hash);
    }
    if (RAW_BCRYPT.test(hash)) {
      // A plain bcrypt hash (imported from another system) cannot tell passwords apart past
      // 72 bytes; refuse rather than accept a truncated match.
      if (Buffer.byteLength(secret, "utf8") > 72) return false;
      return this.bcrypt.compare(secret, hash);
    }
    return false;
  }

  /** True when the hash was made with another algorithm or other parameters than configured. */
  needsRehash(hash: string): boolean {
    if (this.options.algorithm === "argon2id") return !hash.startsWith(ARGON2_PREFIX);
    const pre = BCRYPT_SHA256.exec(hash);
    return !pre || Number(pre[2]) !== this.options.bcryptCost;
  }

  /** Spends one compare for an unknown account, so response time does not reveal existence. */
  async dummyVerify(secret: string): Promise<false> {
    this.dummyHash ??= this.hash("latchkey-dummy-password-for-timing");
    await this.verify(secret, await this.dummyHash);
    return false;
  }

  private async bcryptSha256(secret: string, bcryptSalt: string): Promise<string> {
    const [, variant, cost, salt] = /^\$(2a|2b|2y)\$(\d{2})\$(.{22})$/.exec(bcryptSalt)!;
    const digest = createHmac("sha256", salt).update(secret, "utf8").digest("base64");
    const full = await this.bcrypt.hash(digest, bcryptSalt);
    return `$bcrypt-sha256$v=2,t=${variant},r=${cost}$${salt}$${full.slice(-31)}`;
  }
}
