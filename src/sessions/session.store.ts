import { Prisma, type PrismaClient, type Session, type User } from "../generated/prisma/client";
import { activeAdminPart, userColumns, userJoinPart } from "../accounts";
import { utc } from "../db/sql-time";
import type { SqlRunner } from "../db/direct-sql";
import { ACTIVE_MEMBERSHIP_COLUMNS, activeMembershipJoinPart } from "../organizations";

// The user's columns, from accounts' store.
const USER_COLUMNS = userColumns("u");
const USER_JOIN = userJoinPart(Prisma.sql`s."userId"`);
const IMPERSONATOR_ACTIVE = activeAdminPart(Prisma.sql`s."impersonatorId"`);
// The session's active organization and the user's role there, from organizations' store.
const MEMBERSHIP_JOIN = activeMembershipJoinPart("s");

type Db = PrismaClient | Prisma.TransactionClient;

/** The Session columns the API shows and the rules decide on (not the revocation reason or the passkey). */
export const SESSION_COLUMNS = [
  "id", "userId", "createdAt", "lastSeenAt", "expiresAt", "revokedAt", "userAgent", "ip", "authenticatedAt", "impersonatorId",
] as const satisfies ReadonlyArray<keyof Session>;

export type SessionRow = Pick<Session, (typeof SESSION_COLUMNS)[number]>;

const SESSION_SELECT = Object.fromEntries(SESSION_COLUMNS.map((column) => [column, true])) as { [K in (typeof SESSION_COLUMNS)[number]]: true };

/** The session columns an activity rule reads, as SQL expressions of the caller's statement. */
export type ActivitySql = { revokedAt: Prisma.Sql; expiresAt: Prisma.Sql; lastSeenAt: Prisma.Sql; createdAt: Prisma.Sql };

/** A session about to be inserted by a sign-in statement. */
export interface NewSession extends SessionRow {
  accessTtlSeconds: number;
  passkeyId: string | null;
}

/** What the per-request session check reads: the session, its user and whether the token's jti is revoked. */
export interface ViewerStateRow {
  user: User;
  session: Pick<Session, "userId" | "revokedAt" | "expiresAt" | "lastSeenAt" | "createdAt" | "authenticatedAt" | "impersonatorId">;
  tokenRevoked: boolean;
  /** False when the session is impersonated and its ADMIN no longer is one (demoted, disabled, deleted). */
  impersonatorActive: boolean;
  /** The active organization while the user is a member of it, with the role; null otherwise. */
  organization: { id: string; role: "OWNER" | "ADMIN" | "MEMBER" } | null;
}

// The columns the session check reads, prefixed so they cannot collide with the user's.
const VIEWER_SESSION_COLUMNS = ["userId", "revokedAt", "expiresAt", "lastSeenAt", "createdAt", "authenticatedAt", "impersonatorId"] as const satisfies ReadonlyArray<
  keyof Session
>;
type ViewerSessionColumn = (typeof VIEWER_SESSION_COLUMNS)[number];
const VIEWER_SESSION_SELECT = Prisma.raw(VIEWER_SESSION_COLUMNS.map((column) => `s."${column}" AS "s_${column}"`).join(", "));
type ViewerRow = User & { [K in ViewerSessionColumn as `s_${K}`]: Session[K] } & {
  tokenRevoked: boolean;
  impersonatorActive: boolean;
  orgId: string | null;
  orgRole: "OWNER" | "ADMIN" | "MEMBER" | null;
};

/**
 * Statements on Session and RevokedToken. The per-request session check and the last-seen write
 * go straight to the driver (`sql`): they run on every authenticated request.
 */
export class SessionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  /**
   * The new session as a CTE named `session` (returning its id), followed by `next`, the CTEs
   * that use it (the first refresh token), for the caller's sign-in statement.
   */
  insertPart(session: NewSession, next: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`session AS (
        INSERT INTO "Session" (id, "userId", "createdAt", "lastSeenAt", "expiresAt", ip, "userAgent", "accessTtlSeconds", "authenticatedAt", "passkeyId", "impersonatorId")
        VALUES (${session.id}, ${session.userId}, ${utc(session.createdAt)}, ${utc(session.lastSeenAt)}, ${utc(session.expiresAt)}, ${session.ip}::text,
                ${session.userAgent}::text, ${session.accessTtlSeconds}::int, ${utc(session.authenticatedAt)}, ${session.passkeyId}::text, ${session.impersonatorId}::text)
        RETURNING id
      ), ${next}`;
  }

  /** Runs a started session's CTEs (insertPart) and `more` (e.g. its audit event's) as one statement. */
  async writeParts(db: Db, parts: Prisma.Sql, more: Prisma.Sql): Promise<void> {
    await db.$executeRaw`WITH ${parts}, ${more} SELECT 1`;
  }

  /**
   * `usable` as a SQL condition over a session's columns: not revoked, not expired, used since
   * `idleSince` (null: no idle limit), created after `bornAfter`.
   */
  usableSql(columns: ActivitySql, now: Date, idleSince: Date | null, bornAfter: Date): Prisma.Sql {
    const notIdle = idleSince === null ? Prisma.sql`true` : Prisma.sql`${columns.lastSeenAt} >= ${utc(idleSince)}`;
    return Prisma.sql`(${columns.revokedAt} IS NULL AND ${columns.expiresAt} > ${utc(now)} AND ${notIdle} AND ${columns.createdAt} > ${utc(bornAfter)})`;
  }

  /** A session's latest possible expiry: `createdAt` (a SQL expression) plus the maximum lifetime. */
  lifetimeEndSql(createdAt: Prisma.Sql, maxLifetimeMs: number): Prisma.Sql {
    return Prisma.sql`(${createdAt} + ${maxLifetimeMs}::double precision * interval '1 millisecond')`;
  }

  /** Marks a live session revoked; false when it was revoked already (or does not exist). */
  async revoke(db: Db, sessionId: string, reason: string, now: Date): Promise<boolean> {
    const { count } = await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
    return count > 0;
  }

  /** Blocks an access token until it would have expired anyway; a second revocation changes nothing. */
  async revokeToken(db: Db, jti: string, expiresAt: Date, now: Date): Promise<void> {
    await db.revokedToken.upsert({ where: { jti }, create: { jti, expiresAt, createdAt: now }, update: {} });
  }

  /** Revokes every live session of a user, except one when given; returns how many. */
  async revokeAllForUser(db: Db, userId: string, reason: string, now: Date, exceptSessionId?: string): Promise<number> {
    const { count } = await db.session.updateMany({
      where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
      data: { revokedAt: now, revokedReason: reason },
    });
    return count;
  }

  /** The ids of the user's live sessions that a passkey started. */
  async liveIdsStartedByPasskey(db: Db, userId: string, passkeyId: string): Promise<string[]> {
    const rows = await db.session.findMany({ where: { userId, passkeyId, revokedAt: null }, select: { id: true } });
    return rows.map((row) => row.id);
  }

  /** Moves a live session's authenticatedAt to `now`; its row afterwards, or null when it is not live. */
  async markAuthenticated(db: Db, sessionId: string, now: Date): Promise<SessionRow | null> {
    const { count } = await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { authenticatedAt: now } });
    if (count === 0) return null;
    return db.session.findUnique({ where: { id: sessionId }, select: SESSION_SELECT });
  }

  /** Sets the session's active organization (null clears it). */
  setActiveOrganization(sessionId: string, organizationId: string | null): Promise<SessionRow> {
    return this.prisma.session.update({ where: { id: sessionId }, data: { activeOrganizationId: organizationId }, select: SESSION_SELECT });
  }

  /** The organization the user's session acts for (setActiveOrganization); null when none or not the user's session. */
  async activeOrganizationIdOf(sessionId: string, userId: string): Promise<string | null> {
    const row = await this.prisma.session.findFirst({ where: { id: sessionId, userId }, select: { activeOrganizationId: true } });
    return row?.activeOrganizationId ?? null;
  }

  /** Whether the user has a session with this id (any state). */
  async belongsTo(db: Db, sessionId: string, userId: string): Promise<boolean> {
    return (await db.session.findFirst({ where: { id: sessionId, userId }, select: { id: true } })) !== null;
  }

  /** Writes lastSeenAt = now, never moving it backwards (another process may have written later). */
  async touch(sessionId: string, now: Date): Promise<void> {
    await this.sql`UPDATE "Session" SET "lastSeenAt" = ${utc(now)} WHERE id = ${sessionId} AND "lastSeenAt" < ${utc(now)}`;
  }

  /** The user's unrevoked, unexpired sessions, most recently used first (at most 200). */
  listUnrevoked(userId: string, now: Date): Promise<SessionRow[]> {
    return this.prisma.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { lastSeenAt: "desc" },
      take: 200,
      select: SESSION_SELECT,
    });
  }

  /** How many sessions are unrevoked and unexpired (the activeSessions metric). */
  countUnrevoked(now: Date): Promise<number> {
    return this.prisma.session.count({ where: { revokedAt: null, expiresAt: { gt: now } } });
  }

  /**
   * The session check's read, in one round trip on the driver: session, user, revoked-jti check
   * and, for an impersonated session, whether its ADMIN still is one.
   */
  async viewerState(sessionId: string, jti: string): Promise<ViewerStateRow | undefined> {
    const [row] = await this.sql<ViewerRow>`
      SELECT ${VIEWER_SESSION_SELECT},
             EXISTS (SELECT 1 FROM "RevokedToken" r WHERE r.jti = ${jti}) AS "tokenRevoked",
             (s."impersonatorId" IS NULL OR ${IMPERSONATOR_ACTIVE}) AS "impersonatorActive",
             ${USER_COLUMNS}, ${ACTIVE_MEMBERSHIP_COLUMNS}
      FROM "Session" s ${USER_JOIN} ${MEMBERSHIP_JOIN}
      WHERE s.id = ${sessionId}`;
    if (!row) return undefined;
    const { s_userId, s_revokedAt, s_expiresAt, s_lastSeenAt, s_createdAt, s_authenticatedAt, s_impersonatorId, tokenRevoked, impersonatorActive, orgId, orgRole, ...user } = row;
    return {
      user,
      session: {
        userId: s_userId, revokedAt: s_revokedAt, expiresAt: s_expiresAt, lastSeenAt: s_lastSeenAt, createdAt: s_createdAt,
        authenticatedAt: s_authenticatedAt, impersonatorId: s_impersonatorId,
      },
      tokenRevoked,
      impersonatorActive,
      organization: orgId && orgRole ? { id: orgId, role: orgRole } : null,
    };
  }

  /** Deletes revoked-token rows whose tokens have expired anyway. */
  async pruneRevokedTokens(now: Date): Promise<number> {
    return (await this.prisma.revokedToken.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  }

  /** Deletes sessions expired, revoked before `revokedBefore`, or (when given) unused since `idleSince`. */
  async pruneSessions(now: Date, revokedBefore: Date, idleSince: Date | null): Promise<number> {
    const dead = [{ expiresAt: { lt: now } }, { revokedAt: { lt: revokedBefore } }, ...(idleSince ? [{ lastSeenAt: { lt: idleSince } }] : [])];
    return (await this.prisma.session.deleteMany({ where: { OR: dead } })).count;
  }
}

/**
 * The lockout's one read of Session (limits/ sit below sessions and take it as a port, wired
 * by the composition): whether the account `userId` (a SQL expression) signed in from `ip`
 * since `since`, as a boolean SQL expression for the lockout's statement.
 */
export function signedInFromPart(userId: Prisma.Sql, ip: string | null, since: Date): Prisma.Sql {
  return Prisma.sql`EXISTS (
      SELECT 1 FROM "Session" s WHERE s."userId" = ${userId} AND s.ip = ${ip}::text AND s."createdAt" > ${utc(since)})`;
}
