import { Prisma, type PrismaClient, type User } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { randomToken, sha256 } from "../common/tokens";
import type { AccessTokens, AccessTokenClaims } from "./access-tokens";
import type { CachedSession, SessionCache } from "./session-cache";
import { USER_COLUMNS } from "../accounts/user-columns.sql";
import { utc } from "../db/sql-time";
import type { SqlRunner } from "../db/direct-sql";
import { randomUUID } from "node:crypto";
import type { Viewer } from "../graphql/viewer";

type Db = PrismaClient | Prisma.TransactionClient;

export interface SessionRow {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  userAgent: string | null;
  ip: string | null;
  /** When the user last proved who they are in this session: sign-in or reauthenticate, never a refresh. */
  authenticatedAt: Date;
}

// The viewer is a kernel type now (graphql/viewer.ts); re-exported for this feature's importers.
export type { Viewer };

export interface IssuedSession {
  session: SessionRow;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface AuthPayloadData extends IssuedSession {
  accessToken: string;
  accessTokenExpiresAt: Date;
  user: User;
}

export interface SessionPolicy {
  refreshTokenTtlMs: number;
  idleTimeoutMs: number;
  /** A session ends this long after sign-in (its createdAt), however often it refreshes. */
  maxLifetimeMs: number;
}

type ActivityColumns = Pick<SessionRow, "revokedAt" | "expiresAt" | "lastSeenAt" | "createdAt">;

/** lastSeenAt is written at most this often per session, not on every request. */
export const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;

/** Sessions: one per sign-in, each with a rotating refresh token stored only as a hash. */
export class SessionService {
  constructor(
    private readonly prisma: PrismaClient,
    /** The hot statements (the session check), on the driver directly. */
    private readonly sql: SqlRunner,
    private readonly tokens: AccessTokens,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
    private readonly cache?: SessionCache,
    private readonly onCacheLookup?: (result: "hit" | "miss") => void,
  ) {}

  /**
   * A new session and its first refresh token, as CTEs (session, refresh_token) for the caller's
   * statement: a sign-in writes them together with the user's last-login time and the audit
   * event in one statement. The rows' values are all known here, so nothing needs reading back.
   */
  startParts(input: {
    userId: string;
    ip: string | null;
    userAgent: string | null;
    accessTtlSeconds: number;
    /** The passkey the user signed in with, if any: removing it ends the session. */
    passkeyId?: string | null;
  }): { parts: Prisma.Sql; issued: IssuedSession } {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + Math.min(this.policy.refreshTokenTtlMs, this.policy.maxLifetimeMs));
    const refreshToken = randomToken();
    const session: SessionRow = {
      id: randomUUID(),
      userId: input.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      revokedAt: null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      ip: input.ip,
      authenticatedAt: now,
    };
    const parts = Prisma.sql`session AS (
        INSERT INTO "Session" (id, "userId", "createdAt", "lastSeenAt", "expiresAt", ip, "userAgent", "accessTtlSeconds", "authenticatedAt", "passkeyId")
        VALUES (${session.id}, ${session.userId}, ${utc(now)}, ${utc(now)}, ${utc(expiresAt)}, ${session.ip}::text, ${session.userAgent}::text,
                ${input.accessTtlSeconds}::int, ${utc(now)}, ${input.passkeyId ?? null}::text)
        RETURNING id
      ), refresh_token AS (
        INSERT INTO "RefreshToken" (id, "sessionId", "tokenHash", "createdAt", "expiresAt")
        SELECT ${randomUUID()}, id, ${sha256(refreshToken)}, ${utc(now)}, ${utc(expiresAt)} FROM session
      )`;
    return { parts, issued: { session, refreshToken, refreshTokenExpiresAt: expiresAt } };
  }

  /** Signs the access token for a started session. */
  async authPayload(user: User, issued: IssuedSession, lifetimeSeconds: number): Promise<AuthPayloadData> {
    const access = await this.tokens.sign({ userId: user.id, sessionId: issued.session.id, role: user.role, lifetimeSeconds });
    return { ...issued, accessToken: access.token, accessTokenExpiresAt: access.expiresAt, user };
  }

  /**
   * Revokes one session and, when given, the access token presented with it (its jti goes to
   * the revoked-token table until the token would have expired anyway).
   */
  async revoke(db: Db, sessionId: string, reason: string, accessToken?: { jti: string; expiresAt: Date }): Promise<boolean> {
    const now = this.clock.now();
    const { count } = await db.session.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: now, revokedReason: reason },
    });
    this.cache?.invalidateSession(sessionId);
    if (accessToken) {
      await db.revokedToken.upsert({
        where: { jti: accessToken.jti },
        create: { jti: accessToken.jti, expiresAt: accessToken.expiresAt, createdAt: now },
        update: {},
      });
    }
    return count > 0;
  }

  /** Revokes every live session of a user, except one when asked; returns how many. */
  async revokeAllForUser(db: Db, userId: string, reason: string, exceptSessionId?: string): Promise<number> {
    const { count } = await db.session.updateMany({
      where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
      data: { revokedAt: this.clock.now(), revokedReason: reason },
    });
    this.cache?.invalidateUser(userId);
    return count;
  }

  /**
   * Revokes the live sessions a passkey started (it is being removed, in the caller's
   * transaction); the caller's own access token too when its session is among them. Returns how many.
   */
  async revokeStartedByPasskey(
    db: Db,
    userId: string,
    passkeyId: string,
    reason: string,
    current?: { sessionId: string; jti: string; expiresAt: Date },
  ): Promise<number> {
    const started = await db.session.findMany({ where: { userId, passkeyId, revokedAt: null }, select: { id: true } });
    let count = 0;
    for (const { id } of started) {
      const token = current?.sessionId === id ? { jti: current.jti, expiresAt: current.expiresAt } : undefined;
      if (await this.revoke(db, id, reason, token)) count++;
    }
    return count;
  }

  /**
   * Records a fresh proof of identity in a live session (reauthenticate), inside the caller's
   * transaction; the session's cached state is dropped everywhere so the next request sees it.
   */
  async markAuthenticated(db: Db, sessionId: string): Promise<SessionRow | null> {
    const now = this.clock.now();
    const { count } = await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { authenticatedAt: now } });
    this.cache?.invalidateSession(sessionId);
    if (count === 0) return null;
    return db.session.findUnique({ where: { id: sessionId } });
  }

  /**
   * Whether a session can still be used at `now`: not revoked, not expired, not idle too long,
   * not older than its absolute lifetime (refreshes cap expiresAt there too; this also ends
   * sessions from before a shorter SESSION_MAX_LIFETIME).
   */
  isActive(session: ActivityColumns, now = this.clock.now()): boolean {
    if (session.revokedAt) return false;
    if (session.expiresAt.getTime() <= now.getTime()) return false;
    if (now.getTime() - session.createdAt.getTime() >= this.policy.maxLifetimeMs) return false;
    const idle = this.policy.idleTimeoutMs;
    return idle === 0 || now.getTime() - session.lastSeenAt.getTime() <= idle;
  }

  /**
   * `isActive` as a SQL condition over a session's columns, for a statement that must leave an
   * unusable session alone (refresh rotation decides and writes in one statement).
   */
  usableSql(columns: { [K in keyof ActivityColumns]: Prisma.Sql }, now = this.clock.now()): Prisma.Sql {
    const idle = this.policy.idleTimeoutMs;
    const notIdle = idle === 0 ? Prisma.sql`true` : Prisma.sql`${columns.lastSeenAt} >= ${utc(new Date(now.getTime() - idle))}`;
    const bornAfter = utc(new Date(now.getTime() - this.policy.maxLifetimeMs));
    return Prisma.sql`(${columns.revokedAt} IS NULL AND ${columns.expiresAt} > ${utc(now)} AND ${notIdle} AND ${columns.createdAt} > ${bornAfter})`;
  }

  /**
   * The latest expiry a session started at `createdAt` (a SQL expression) may be given: a
   * refresh sets min(its own expiry, this).
   */
  lifetimeEndSql(createdAt: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`(${createdAt} + ${this.policy.maxLifetimeMs}::double precision * interval '1 millisecond')`;
  }

  /** Slides the idle window forward; writes only when the last write is a minute old. */
  async touch(sessionId: string, lastSeenAt: Date): Promise<boolean> {
    const now = this.clock.now();
    if (now.getTime() - lastSeenAt.getTime() < LAST_SEEN_WRITE_INTERVAL_MS) return false;
    await this.sql`UPDATE "Session" SET "lastSeenAt" = ${utc(now)} WHERE id = ${sessionId} AND "lastSeenAt" < ${utc(now)}`;
    return true;
  }

  /** The user's sessions that can still be used, most recently used first. */
  async listActive(userId: string): Promise<SessionRow[]> {
    const now = this.clock.now();
    const rows = await this.prisma.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { lastSeenAt: "desc" },
      take: 200,
    });
    return rows.filter((row) => this.isActive(row, now));
  }

  /**
   * The viewer for verified token claims, or undefined. From the session cache when it can be
   * trusted (see SessionCache), else one round trip: the session, its user and the
   * revoked-token check come back from a single statement.
   */
  async viewerFor(claims: AccessTokenClaims): Promise<Viewer | undefined> {
    let state = this.cache?.get(claims.sid);
    this.onCacheLookup?.(state ? "hit" : "miss");
    // A cached lastSeenAt may be older than another process's write: recheck before refusing.
    if (state && !this.isActive(state)) state = undefined;
    state ??= await this.load(claims);
    if (!state || state.sessionUserId !== claims.sub || !this.isActive(state)) return undefined;
    if (state.user.deletedAt || state.user.disabled) return undefined;
    if (await this.touch(claims.sid, state.lastSeenAt)) state.lastSeenAt = this.clock.now();
    return {
      user: state.user,
      sessionId: claims.sid,
      jti: claims.jti,
      tokenExpiresAt: new Date(claims.exp * 1000),
      authenticatedAt: state.authenticatedAt,
    };
  }

  private async load(claims: AccessTokenClaims): Promise<CachedSession | undefined> {
    const since = this.cache?.snapshot();
    const rows = await this.sql<
      User & {
        sessionRevokedAt: Date | null;
        sessionExpiresAt: Date;
        sessionLastSeenAt: Date;
        sessionCreatedAt: Date;
        sessionAuthenticatedAt: Date;
        sessionUserId: string;
        tokenRevoked: boolean;
      }
    >`
      SELECT s."userId" AS "sessionUserId", s."revokedAt" AS "sessionRevokedAt", s."expiresAt" AS "sessionExpiresAt",
             s."lastSeenAt" AS "sessionLastSeenAt", s."createdAt" AS "sessionCreatedAt", s."authenticatedAt" AS "sessionAuthenticatedAt",
             EXISTS (SELECT 1 FROM "RevokedToken" r WHERE r.jti = ${claims.jti}) AS "tokenRevoked",
             ${USER_COLUMNS}
      FROM "Session" s JOIN "User" u ON u.id = s."userId"
      WHERE s.id = ${claims.sid}`;
    const row = rows[0];
    // A revoked jti always comes with its session revoked, so caching by session is safe.
    if (!row || row.tokenRevoked) return undefined;
    const { sessionRevokedAt, sessionExpiresAt, sessionLastSeenAt, sessionCreatedAt, sessionAuthenticatedAt, sessionUserId, tokenRevoked, ...user } = row;
    void tokenRevoked;
    const state: CachedSession = {
      user: user as User,
      sessionUserId,
      revokedAt: sessionRevokedAt,
      expiresAt: sessionExpiresAt,
      lastSeenAt: sessionLastSeenAt,
      authenticatedAt: sessionAuthenticatedAt,
      createdAt: sessionCreatedAt,
    };
    if (!sessionRevokedAt) this.cache?.set(claims.sid, state, since);
    return state;
  }
}
