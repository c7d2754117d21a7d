import { Prisma, type PersonalAccessToken, type PrismaClient, type User } from "../generated/prisma/client";
import { userColumns, userJoinPart } from "../accounts";
import { utc } from "../db/sql-time";
import type { SqlRunner } from "../db/direct-sql";

type Db = PrismaClient | Prisma.TransactionClient;

/** The columns the API shows: everything but the hash and the last address. */
export type PersonalAccessTokenRow = Omit<PersonalAccessToken, "tokenHash" | "lastUsedIp">;
const ROW_SELECT = {
  id: true, userId: true, name: true, scopes: true, expiresAt: true, lastUsedAt: true, revokedAt: true, createdAt: true,
} as const satisfies Record<keyof PersonalAccessTokenRow, true>;

/** What the per-request check reads: the token and its user, in one statement. */
export interface TokenRequestRow {
  token: Pick<PersonalAccessToken, "id" | "userId" | "scopes" | "expiresAt" | "revokedAt" | "lastUsedAt" | "createdAt">;
  user: User;
}

type LookupRow = User & {
  t_id: string; t_userId: string; t_scopes: string[]; t_expiresAt: Date | null; t_revokedAt: Date | null; t_lastUsedAt: Date | null; t_createdAt: Date;
};

const USER_COLUMNS = userColumns("u");
const USER_JOIN = userJoinPart(Prisma.sql`t."userId"`);

/** Statements on PersonalAccessToken. The per-request lookup and the last-use write go straight to the driver (`sql`). */
export class PersonalAccessTokenStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  /** The token whose hash is `tokenHash`, with its user: one indexed statement (tokenHash is unique). */
  async findForRequest(tokenHash: string): Promise<TokenRequestRow | undefined> {
    const [row] = await this.sql<LookupRow>`
      SELECT t.id AS "t_id", t."userId" AS "t_userId", t.scopes AS "t_scopes", t."expiresAt" AS "t_expiresAt",
             t."revokedAt" AS "t_revokedAt", t."lastUsedAt" AS "t_lastUsedAt", t."createdAt" AS "t_createdAt", ${USER_COLUMNS}
      FROM "PersonalAccessToken" t ${USER_JOIN}
      WHERE t."tokenHash" = ${tokenHash}`;
    if (!row) return undefined;
    const { t_id, t_userId, t_scopes, t_expiresAt, t_revokedAt, t_lastUsedAt, t_createdAt, ...user } = row;
    return {
      token: { id: t_id, userId: t_userId, scopes: t_scopes, expiresAt: t_expiresAt, revokedAt: t_revokedAt, lastUsedAt: t_lastUsedAt, createdAt: t_createdAt },
      user: user as User,
    };
  }

  /** Records a use; writes only when the recorded one is older than `notSince` (another process may have written). */
  async recordUse(id: string, now: Date, ip: string | null, notSince: Date): Promise<void> {
    await this.sql`
      UPDATE "PersonalAccessToken" SET "lastUsedAt" = ${utc(now)}, "lastUsedIp" = ${ip}::text
      WHERE id = ${id} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${utc(notSince)})`;
  }

  /** How many of the user's tokens can still be used at `now`. */
  countUsable(db: Db, userId: string, now: Date): Promise<number> {
    return db.personalAccessToken.count({ where: { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
  }

  insert(db: Db, row: Pick<PersonalAccessToken, "userId" | "name" | "tokenHash" | "scopes" | "expiresAt" | "createdAt">): Promise<PersonalAccessTokenRow> {
    return db.personalAccessToken.create({ data: row, select: ROW_SELECT });
  }

  /** The user's tokens, newest first; revoked ones only when asked. */
  listForUser(userId: string, includeRevoked: boolean): Promise<PersonalAccessTokenRow[]> {
    return this.prisma.personalAccessToken.findMany({
      where: { userId, ...(includeRevoked ? {} : { revokedAt: null }) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: ROW_SELECT,
    });
  }

  findOwned(db: Db, userId: string, id: string): Promise<PersonalAccessTokenRow | null> {
    return db.personalAccessToken.findFirst({ where: { id, userId }, select: ROW_SELECT });
  }

  /** Marks the token revoked unless it already is; false when it was. */
  async revoke(db: Db, userId: string, id: string, now: Date): Promise<boolean> {
    return (await db.personalAccessToken.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: now } })).count === 1;
  }

  /** Every token of the user (the account's erasure). */
  async deleteAllForUser(db: Db, userId: string): Promise<void> {
    await db.personalAccessToken.deleteMany({ where: { userId } });
  }
}
