import { Prisma, type PrismaClient, type User } from "../generated/prisma/client";
import { activeAdminPart, disabledAtPart, userColumns, userJoinPart } from "../accounts";
import type { SqlRunner } from "../db/direct-sql";
import { utc } from "../db/sql-time";
import { ACTIVE_MEMBERSHIP_COLUMNS, activeMembershipJoinPart } from "../organizations";
import type { SessionRow } from "./session.store";

// The user's columns, from accounts' store.
const USER_COLUMNS = userColumns("u");
const USER_JOIN = userJoinPart(Prisma.sql`s."userId"`);
const IMPERSONATOR_ACTIVE = activeAdminPart(Prisma.sql`p."s_impersonatorId"`);
// The session's active organization and the user's role there now, from organizations' store.
const MEMBERSHIP_JOIN = activeMembershipJoinPart("s");

export type RefreshedSession = SessionRow & { accessTtlSeconds: number | null };

/** The organization a session acts for and the user's role there (the org_id and org_role claims). */
export interface ActiveOrganization {
  id: string;
  role: string;
}

/** The token that replaced a retired one, as the statement found it. */
export interface Successor {
  retiredAt: Date | null;
  expiresAt: Date;
  /** Its plaintext sealed under the presented token (erased once it is retired itself). */
  seal: string | null;
}

export interface RotationResult {
  /** The presented token's session as it was before this request. */
  session: RefreshedSession;
  user: User;
  /** The presented token's own expiry. */
  tokenExpiresAt: Date;
  /** Set when the presented token had already been used: a copy is being replayed, or a second tab. */
  retiredAt: Date | null;
  /** For a retired token: the token issued in its place. */
  successor?: Successor;
  /** The session's active organization with the user's role in it now; null when none, or no longer a member. */
  organization: ActiveOrganization | null;
  /** The session after rotation, when this request rotated the token; undefined when it did not. */
  rotated?: Pick<RefreshedSession, "lastSeenAt" | "expiresAt">;
}

type Row = User & {
  tokenId: string;
  tokenExpiresAt: Date;
  tokenRetiredAt: Date | null;
  successorRetiredAt: Date | null;
  successorExpiresAt: Date | null;
  successorSeal: string | null;
  rotatedLastSeenAt: Date | null;
  rotatedExpiresAt: Date | null;
  orgId: string | null;
  orgRole: string | null;
} & Prefixed<RefreshedSession>;

type SessionColumns = { revokedAt: Prisma.Sql; expiresAt: Prisma.Sql; lastSeenAt: Prisma.Sql; createdAt: Prisma.Sql };

/**
 * Refresh-token rotation in one statement (one round trip, one implicit transaction):
 * refreshing is the busiest write clients make. The statement reads the presented token with
 * its session, its user and (for a retired token) its successor, and only when the token is
 * unused and unexpired, the session usable (`usable`: SessionService's rule as SQL) and the
 * account enabled, retires the token, issues its successor and slides the session's windows,
 * never past the session's absolute lifetime (`lifetimeEnd`); an impersonated session's expiry
 * does not move at all (its successor token expires with it), and it is refreshed only while its
 * ADMIN is one and its account is not. Of two requests racing with one
 * token only one retires it; the other gets no `rotated`.
 */
export class RefreshTokenStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  /** A session's first token, as a CTE named `refresh_token` for the sign-in statement whose `session` CTE it follows. */
  firstTokenPart(token: { id: string; tokenHash: string; now: Date; expiresAt: Date }): Prisma.Sql {
    return Prisma.sql`refresh_token AS (
        INSERT INTO "RefreshToken" (id, "sessionId", "tokenHash", "createdAt", "expiresAt")
        SELECT ${token.id}, id, ${token.tokenHash}, ${utc(token.now)}, ${utc(token.expiresAt)} FROM session
      )`;
  }

  /** Deletes tokens past their own expiry, retired ones included. */
  async pruneExpired(now: Date): Promise<number> {
    return (await this.prisma.refreshToken.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  }

  async rotate(
    presentedHash: string,
    next: { id: string; tokenHash: string; seal: string; now: Date; expiresAt: Date },
    usable: (columns: SessionColumns) => Prisma.Sql,
    lifetimeEnd: (createdAt: Prisma.Sql) => Prisma.Sql,
  ): Promise<RotationResult | undefined> {
    const now = utc(next.now);
    const [row] = await this.sql<Row>`
      WITH presented AS (
        SELECT t.id AS "tokenId", t."expiresAt" AS "tokenExpiresAt", t."retiredAt" AS "tokenRetiredAt",
               n."retiredAt" AS "successorRetiredAt", n."expiresAt" AS "successorExpiresAt", n."predecessorSeal" AS "successorSeal",
               s.id AS "s_id", s."userId" AS "s_userId", s."createdAt" AS "s_createdAt", s."lastSeenAt" AS "s_lastSeenAt",
               s."expiresAt" AS "s_expiresAt", s."revokedAt" AS "s_revokedAt", s."userAgent" AS "s_userAgent", s.ip AS "s_ip",
               s."accessTtlSeconds" AS "s_accessTtlSeconds", s."authenticatedAt" AS "s_authenticatedAt", s."impersonatorId" AS "s_impersonatorId",
               ${USER_COLUMNS}, ${ACTIVE_MEMBERSHIP_COLUMNS}
        FROM "RefreshToken" t JOIN "Session" s ON s.id = t."sessionId" ${USER_JOIN} ${MEMBERSHIP_JOIN}
          LEFT JOIN "RefreshToken" n ON n.id = t."successorId"
        WHERE t."tokenHash" = ${presentedHash}
      ), retired AS (
        UPDATE "RefreshToken" t SET "retiredAt" = ${now}, "successorId" = ${next.id}::text, "predecessorSeal" = NULL
        FROM presented p
        WHERE t.id = p."tokenId" AND t."retiredAt" IS NULL AND p."tokenExpiresAt" > ${now}
          AND ${usable({
            revokedAt: Prisma.sql`p."s_revokedAt"`,
            expiresAt: Prisma.sql`p."s_expiresAt"`,
            lastSeenAt: Prisma.sql`p."s_lastSeenAt"`,
            createdAt: Prisma.sql`p."s_createdAt"`,
          })}
          AND p."deletedAt" IS NULL AND NOT ${disabledAtPart({ disabled: Prisma.sql`p.disabled`, disabledUntil: Prisma.sql`p."disabledUntil"` }, next.now)}
          AND (p."s_impersonatorId" IS NULL OR (${IMPERSONATOR_ACTIVE} AND p.role <> 'ADMIN'))
        RETURNING t."sessionId", p."s_createdAt" AS "sessionCreatedAt",
                  CASE WHEN p."s_impersonatorId" IS NOT NULL THEN p."s_expiresAt" END AS "fixedEnd"
      ), issued AS (
        INSERT INTO "RefreshToken" (id, "sessionId", "tokenHash", "createdAt", "expiresAt", "predecessorSeal")
        SELECT ${next.id}::text, "sessionId", ${next.tokenHash}::text, ${now},
               LEAST(${utc(next.expiresAt)}, ${lifetimeEnd(Prisma.sql`"sessionCreatedAt"`)}, "fixedEnd"), ${next.seal}::text
        FROM retired
        RETURNING "sessionId", "expiresAt"
      ), rotated AS (
        UPDATE "Session" s SET "lastSeenAt" = ${now}, "expiresAt" = issued."expiresAt"
        FROM issued WHERE s.id = issued."sessionId" AND s."revokedAt" IS NULL
        RETURNING s."lastSeenAt", s."expiresAt"
      )
      SELECT presented.*, rotated."lastSeenAt" AS "rotatedLastSeenAt", rotated."expiresAt" AS "rotatedExpiresAt"
      FROM presented LEFT JOIN rotated ON true`;
    if (!row) return undefined;
    // The token's id was for the statement's own use; the rest is token, session and user.
    const {
      tokenId: _tokenId, tokenExpiresAt, tokenRetiredAt, successorRetiredAt, successorExpiresAt, successorSeal,
      rotatedLastSeenAt, rotatedExpiresAt, orgId, orgRole,
      s_id, s_userId, s_createdAt, s_lastSeenAt, s_expiresAt, s_revokedAt, s_userAgent, s_ip, s_accessTtlSeconds, s_authenticatedAt, s_impersonatorId,
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
        impersonatorId: s_impersonatorId,
      },
      user,
      organization: orgId && orgRole ? { id: orgId, role: orgRole } : null,
      tokenExpiresAt,
      retiredAt: tokenRetiredAt,
      successor: successorExpiresAt ? { retiredAt: successorRetiredAt, expiresAt: successorExpiresAt, seal: successorSeal } : undefined,
      rotated: rotatedLastSeenAt && rotatedExpiresAt ? { lastSeenAt: rotatedLastSeenAt, expiresAt: rotatedExpiresAt } : undefined,
    };
  }
}

type Prefixed<T> = { [K in keyof T as `s_${K & string}`]: T[K] };
