import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { PasswordHasher } from "./password-hasher";
import { normalizePassword, passwordPolicyViolations, PASSWORD_POLICY_MESSAGES } from "./password-policy";

type Db = PrismaClient | Prisma.TransactionClient;
export type CredentialKind = "PASSWORD" | "SECRET_PASSKEY";

export const SECRET_PASSKEY_MIN_LENGTH = 12;
export const SECRET_PASSKEY_MAX_LENGTH = 128;

/** Password and secret-passkey hashes, kept as history with one current row per kind. */
export class CredentialService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /** Throws PASSWORD_POLICY with every reason that applies. */
  assertPasswordPolicy(password: string, context: { username?: string | null; email?: string | null }): void {
    const reasons = passwordPolicyViolations(password, context);
    if (reasons.length > 0) {
      throw Errors.passwordPolicy(reasons, `Password must be ${reasons.map((r) => PASSWORD_POLICY_MESSAGES[r]).join("; ")}`);
    }
  }

  assertSecretPasskey(secretPasskey: string, password: string): void {
    const size = [...normalizePassword(secretPasskey)].length;
    if (size < SECRET_PASSKEY_MIN_LENGTH || size > SECRET_PASSKEY_MAX_LENGTH) {
      throw Errors.badInput(
        "secretPasskey",
        `Secret passkey must be ${SECRET_PASSKEY_MIN_LENGTH} to ${SECRET_PASSKEY_MAX_LENGTH} characters`,
      );
    }
    if (normalizePassword(secretPasskey) === normalizePassword(password)) {
      throw Errors.badInput("secretPasskey", "Secret passkey must differ from the password");
    }
  }

  hash(secret: string): Promise<string> {
    return this.hasher.hash(normalizePassword(secret));
  }

  verify(secret: string, hash: string): Promise<boolean> {
    return this.hasher.verify(normalizePassword(secret), hash);
  }

  /** Spends the time of one compare without an account to compare against. */
  dummyVerify(secret: string): Promise<false> {
    return this.hasher.dummyVerify(normalizePassword(secret));
  }

  needsRehash(hash: string): boolean {
    return this.hasher.needsRehash(hash);
  }

  /** Writes the first credentials of a new account, inside the caller's transaction. */
  async createInitial(db: Db, userId: string, hashes: { password: string; secretPasskey: string }): Promise<void> {
    const createdAt = this.clock.now();
    await db.credential.createMany({
      data: [
        { userId, kind: "PASSWORD", hash: hashes.password, isCurrent: true, createdAt },
        { userId, kind: "SECRET_PASSKEY", hash: hashes.secretPasskey, isCurrent: true, createdAt },
      ],
    });
  }

  /** Replaces a hash with a fresh one of the configured algorithm; same secret, same history row. */
  async replaceHash(credentialId: string, newHash: string): Promise<void> {
    await this.prisma.credential.update({ where: { id: credentialId }, data: { hash: newHash } });
  }
}
