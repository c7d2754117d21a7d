import type { PrismaClient, User } from "../generated/prisma/client";
import { USER_COLUMNS } from "../accounts/user-columns.sql";
import { utc } from "../db/sql-time";
import type { SessionRow } from "./session.service";

export type RefreshedSession = SessionRow & { accessTtlSeconds: number | null };

export interface PresentedRefreshToken {
  id: string;
  expiresAt: Date;
  retiredAt: Date | null;
  session: RefreshedSession;
  user: User;
}

/**
 * The statements of refresh-token rotation, each a single round trip: refreshing is the
 * busiest write clients make, so it must not cost a transaction of many statements.
 */
export class RefreshTokenStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The token with its session and user, by the token's hash. */
  async find(tokenHash: string): Promise<PresentedRefreshToken | undefined> {
    const rows = await this.prisma.$queryRaw<
      Array<User & { tokenId: string; tokenExpiresAt: Date; tokenRetiredAt: Date | null } & Prefixed<RefreshedSession>>
    >`
      SELECT t.id AS "tokenId", t."expiresAt" AS "tokenExpiresAt", t."retiredAt" AS "tokenRetiredAt",
             s.id AS "s_id", s."userId" AS "s_userId", s."createdAt" AS "s_createdAt", s."lastSeenAt" AS "s_lastSeenAt",
             s."expiresAt" AS "s_expiresAt", s."revokedAt" AS "s_revokedAt", s."userAgent" AS "s_userAgent", s.ip AS "s_ip",
             s."accessTtlSeconds" AS "s_accessTtlSeconds",
             ${USER_COLUMNS}
      FROM "RefreshToken" t JOIN "Session" s ON s.id = t."sessionId" JOIN "User" u ON u.id = s."userId"
      WHERE t."tokenHash" = ${tokenHash}`;
    const row = rows[0];
    if (!row) return undefined;
    const { tokenId, tokenExpiresAt, tokenRetiredAt, s_id, s_userId, s_createdAt, s_lastSeenAt, s_expiresAt, s_revokedAt, s_userAgent, s_ip, s_accessTtlSeconds, ...user } = row;
    return {
      id: tokenId,
      expiresAt: tokenExpiresAt,
      retiredAt: tokenRetiredAt,
      session: {
        id: s_id,
        userId: s_userId,
        createdAt: s_createdAt,
        lastSeenAt: s_lastSeenAt,
        expiresAt: s_expiresAt,
        revokedAt: s_revokedAt,
        userAgent: s_userAgent,
        ip: s_ip,
        accessTtlSeconds: s_accessTtlSeconds,
      },
      user: user as User,
    };
  }

  /**
   * Retires the token and issues its successor in one statement (one implicit transaction).
   * Of two requests racing with one token only one finds it unretired; the loser gets
   * undefined, as does a request whose session was revoked meanwhile.
   */
  async rotate(tokenId: string, next: { tokenHash: string; now: Date; expiresAt: Date }): Promise<RefreshedSession | undefined> {
    const rows = await this.prisma.$queryRaw<RefreshedSession[]>`
      WITH retired AS (
        UPDATE "RefreshToken" SET "retiredAt" = ${utc(next.now)}
        WHERE id = ${tokenId} AND "retiredAt" IS NULL
        RETURNING "sessionId"
      ), issued AS (
        INSERT INTO "RefreshToken" (id, "sessionId", "tokenHash", "createdAt", "expiresAt")
        SELECT gen_random_uuid()::text, "sessionId", ${next.tokenHash}, ${utc(next.now)}, ${utc(next.expiresAt)} FROM retired
        RETURNING "sessionId"
      )
      UPDATE "Session" s SET "lastSeenAt" = ${utc(next.now)}, "expiresAt" = ${utc(next.expiresAt)}
      FROM issued WHERE s.id = issued."sessionId" AND s."revokedAt" IS NULL
      RETURNING s.id, s."userId", s."createdAt", s."lastSeenAt", s."expiresAt", s."revokedAt", s."userAgent", s.ip, s."accessTtlSeconds"`;
    return rows[0];
  }
}

type Prefixed<T> = { [K in keyof T as `s_${K & string}`]: T[K] };
