import type { PrismaClient, SigningKey } from "../generated/prisma/client";

/** Advisory lock id serialising the creation of the first key. */
const FIRST_KEY_LOCK = 7_305_001;

export const SIGNING_KEY_COLUMNS = [
  "kid", "alg", "publicJwk", "privateJwkEncrypted", "createdAt", "retiredAt",
] as const satisfies ReadonlyArray<keyof SigningKey>;

export type SigningKeyRow = Pick<SigningKey, (typeof SIGNING_KEY_COLUMNS)[number]>;
export type NewSigningKey = Omit<SigningKeyRow, "retiredAt">;

/** Statements on SigningKey. */
export class SigningKeyStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Inserts the key `make` builds unless a live key exists. Processes starting together on a new
   * database must agree on one first key, or a token signed by one could name a key the others
   * have not loaded yet: the check and the insert run under one advisory lock. One first key per algorithm.
   */
  async insertFirst(alg: string, make: () => Promise<NewSigningKey>): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_KEY_LOCK}::bigint)`;
      if ((await tx.signingKey.count({ where: { alg, retiredAt: null } })) === 0) await tx.signingKey.create({ data: await make() });
    });
  }

  async insert(key: NewSigningKey): Promise<void> {
    await this.prisma.signingKey.create({ data: key });
  }

  /** Retires every live key but `kids`. */
  async retireAllExcept(kids: string[], now: Date): Promise<void> {
    await this.prisma.signingKey.updateMany({ where: { kid: { notIn: kids }, retiredAt: null }, data: { retiredAt: now } });
  }

  /** Every key, oldest first. */
  findAll(): Promise<SigningKeyRow[]> {
    return this.prisma.signingKey.findMany({ orderBy: { createdAt: "asc" } });
  }
}
