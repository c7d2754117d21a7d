import { Prisma, type User } from "../generated/prisma/client";
import { USER_COLUMNS } from "../accounts/user-columns.sql";
import type { SqlRunner } from "../db/direct-sql";
import { utc } from "../db/sql-time";
import type { SessionRow } from "./session.service";

export type RefreshedSession = SessionRow & { accessTtlSeconds: number | null };

export interface RotationResult {
  /** The presented token's session as it was before this request. */
  session: RefreshedSession;
  user: User;
  /** Set when the presented token had already been used: a copy is being replayed. */
  retiredAt: Date | null;
  /** The session after rotation, when this request rotated the token; undefined when it did not. */
  rotated?: Pick<RefreshedSession, "lastSeenAt" | "expiresAt">;
}

type Row = User & {
  tokenId: string;
  tokenExpiresAt: Date;
  tokenRetiredAt: Date | null;
  rotatedLastSeenAt: Date | null;
  rotatedExpiresAt: Date | null;
} & Prefixed<RefreshedSession>;

/**
 * Refresh-token rotation in one statement (one round trip, one implicit transaction):
 * refreshing is the busiest write clients make. The statement reads the presented token with
 * its session and user, and only when the token is unused and unexpired, the session usable
 * (`usable`: SessionService's rule as SQL) and the account enabled, retires the token, issues
 * its successor and slides the session's windows. Of two requests racing with one token only
 * one retires it; the other gets no `rotated`.
 */
export class RefreshTokenStore {
  constructor(private readonly sql: SqlRunner) {}

  async rotate(
    presentedHash: string,
    next: { tokenHash: string; now: Date; expiresAt: Date },
    usable: (columns: { revokedAt: Prisma.Sql; expiresAt: Prisma.Sql; lastSeenAt: Prisma.Sql }) => Prisma.Sql,
  ): Promise<RotationResult | undefined> {
    const now = utc(next.now);
    const [row] = await this.sql<Row>`
      WITH presented AS (
        SELECT t.id AS "tokenId", t."expiresAt" AS "tokenExpiresAt", t."retiredAt" AS "tokenRetiredAt",
               s.id AS "s_id", s."userId" AS "s_userId", s."createdAt" AS "s_createdAt", s."lastSeenAt" AS "s_lastSeenAt",
               s."expiresAt" AS "s_expiresAt", s."revokedAt" AS "s_revokedAt", s."userAgent" AS "s_userAgent", s.ip AS "s_ip",
               s."accessTtlSeconds" AS "s_accessTtlSeconds", s."authenticatedAt" AS "s_authenticatedAt",
               ${USER_COLUMNS}
        FROM "RefreshToken" t JOIN "Session" s ON s.id = t."sessionId" JOIN "User" u ON u.id = s."userId"
        WHERE t."tokenHash" = ${presentedHash}
      ), retired AS (
        UPDATE "RefreshToken" t SET "retiredAt" = ${now}
        FROM presented p
        WHERE t.id = p."tokenId" AND t."retiredAt" IS NULL AND p."tokenExpiresAt" > ${now}
          AND ${usable({ revokedAt: Prisma.sql`p."s_revokedAt"`, expiresAt: Prisma.sql`p."s_expiresAt"`, lastSeenAt: Prisma.sql`p."s_lastSeenAt"` })}
          AND p."deletedAt" IS NULL AND NOT p.disabled
        RETURNING t."sessionId"
      ), issued AS (
        INSERT INTO "RefreshToken" (id, "sessionId", "tokenHash", "createdAt", "expiresAt")
        SELECT gen_random_uuid()::text, "sessionId", ${next.tokenHash}, ${now}, ${utc(next.expiresAt)} FROM retired
        RETURNING "sessionId"
      ), rotated AS (
        UPDATE "Session" s SET "lastSeenAt" = ${now}, "expiresAt" = ${utc(next.expiresAt)}
        FROM issued WHERE s.id = issued."sessionId" AND s."revokedAt" IS NULL
        RETURNING s."lastSeenAt", s."expiresAt"
      )
      SELECT presented.*, rotated."lastSeenAt" AS "rotatedLastSeenAt", rotated."expiresAt" AS "rotatedExpiresAt"
      FROM presented LEFT JOIN rotated ON true`;
    if (!row) return undefined;
    // The token's id and expiry were for the statement's own use; the rest is session and user.
    const {
      tokenId: _tokenId, tokenExpiresAt: _tokenExpiresAt, tokenRetiredAt, rotatedLastSeenAt, rotatedExpiresAt,
      s_id, s_userId, s_createdAt, s_lastSeenAt, s_expiresAt, s_revokedAt, s_userAgent, s_ip, s_accessTtlSeconds, s_authenticatedAt,
      ...user
    } = row;
    return {
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
        authenticatedAt: s_authenticatedAt,
      },
      user: user as User,
      retiredAt: tokenRetiredAt,
      rotated: rotatedLastSeenAt && rotatedExpiresAt ? { lastSeenAt: rotatedLastSeenAt, expiresAt: rotatedExpiresAt } : undefined,
    };
  }
}

type Prefixed<T> = { [K in keyof T as `s_${K & string}`]: T[K] };
