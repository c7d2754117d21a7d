import type { Prisma, PrismaClient, User } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { isDisabledAt } from "../accounts";
import { randomToken, sha256 } from "../common/tokens";
import type { AccessTokens, AccessTokenClaims } from "./access-tokens";
import type { CachedSession, SessionCache } from "./session-cache";
import type { ActivitySql, SessionRow, SessionStore } from "./session.store";
import type { RefreshTokenStore } from "./refresh-token.store";
import { randomUUID } from "node:crypto";
import type { Viewer } from "../graphql/viewer";

export type { SessionRow } from "./session.store";

type Db = PrismaClient | Prisma.TransactionClient;

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

/**
 * An impersonated session (impersonateUser) ends this long after it started: its expiry never
 * moves, its refresh tokens expire with it and its access tokens never outlive it.
 */
export const IMPERSONATION_MAX_LIFETIME_MS = 60 * 60 * 1000;

/** lastSeenAt is written at most this often per session, not on every request. */
export const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;

/** Sessions: one per sign-in, each with a rotating refresh token stored only as a hash. */
export class SessionService {
  constructor(
    private readonly store: SessionStore,
    private readonly refreshTokens: RefreshTokenStore,
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
    /** The ADMIN starting this session as the user (impersonateUser): it then ends after IMPERSONATION_MAX_LIFETIME_MS. */
    impersonatorId?: string | null;
  }): { parts: Prisma.Sql; issued: IssuedSession } {
    const now = this.clock.now();
    const impersonatorId = input.impersonatorId ?? null;
    const lifetimeMs = Math.min(this.policy.refreshTokenTtlMs, this.policy.maxLifetimeMs, impersonatorId ? IMPERSONATION_MAX_LIFETIME_MS : Infinity);
    const expiresAt = new Date(now.getTime() + lifetimeMs);
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
      impersonatorId,
    };
    const firstToken = this.refreshTokens.firstTokenPart({ id: randomUUID(), tokenHash: sha256(refreshToken), now, expiresAt });
    const parts = this.store.insertPart({ ...session, accessTtlSeconds: input.accessTtlSeconds, passkeyId: input.passkeyId ?? null }, firstToken);
    return { parts, issued: { session, refreshToken, refreshTokenExpiresAt: expiresAt } };
  }

  /**
   * Signs the access token for a started session. An impersonated session's token names the
   * ADMIN in its `act` claim (RFC 8693) and expires no later than the session.
   */
  async authPayload(user: User, issued: IssuedSession, lifetimeSeconds: number, organization: { id: string; role: string } | null = null): Promise<AuthPayloadData> {
    const { id: sessionId, impersonatorId } = issued.session;
    const access = impersonatorId
      ? await this.tokens.sign({
          userId: user.id,
          sessionId,
          role: user.role,
          // exp (whole seconds) at or before the session's end.
          lifetimeSeconds: Math.max(0, Math.min(lifetimeSeconds, Math.floor(issued.session.expiresAt.getTime() / 1000) - Math.floor(this.clock.now().getTime() / 1000))),
          actorId: impersonatorId,
          organization,
        })
      : await this.tokens.sign({ userId: user.id, sessionId, role: user.role, lifetimeSeconds, organization });
    return { ...issued, accessToken: access.token, accessTokenExpiresAt: access.expiresAt, user };
  }

  /**
   * Starts a session as `userId` for the ADMIN `impersonatorId` (impersonateUser), ending after
   * IMPERSONATION_MAX_LIFETIME_MS, and writes it in the caller's transaction together with
   * `more`, the CTEs (its audit event) built for the new session.
   */
  async startImpersonation(
    db: Db,
    input: { userId: string; impersonatorId: string; ip: string | null; userAgent: string | null; accessTtlSeconds: number },
    more: (session: SessionRow) => Promise<Prisma.Sql>,
  ): Promise<IssuedSession> {
    const { parts, issued } = this.startParts(input);
    await this.store.writeParts(db, parts, await more(issued.session));
    return issued;
  }

  /**
   * Revokes one session and, when given, the access token presented with it (its jti goes to
   * the revoked-token table until the token would have expired anyway).
   */
  async revoke(db: Db, sessionId: string, reason: string, accessToken?: { jti: string; expiresAt: Date }): Promise<boolean> {
    const now = this.clock.now();
    const revoked = await this.store.revoke(db, sessionId, reason, now);
    this.cache?.invalidateSession(sessionId);
    if (accessToken) await this.store.revokeToken(db, accessToken.jti, accessToken.expiresAt, now);
    return revoked;
  }

  /** Revokes every live session of a user, except one when asked; returns how many. */
  async revokeAllForUser(db: Db, userId: string, reason: string, exceptSessionId?: string): Promise<number> {
    const count = await this.store.revokeAllForUser(db, userId, reason, this.clock.now(), exceptSessionId);
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
    let count = 0;
    for (const id of await this.store.liveIdsStartedByPasskey(db, userId, passkeyId)) {
      const token = current?.sessionId === id ? { jti: current.jti, expiresAt: current.expiresAt } : undefined;
      if (await this.revoke(db, id, reason, token)) count++;
    }
    return count;
  }

  /** Whether the user has a session with this id, whatever its state. */
  belongsTo(db: Db, sessionId: string, userId: string): Promise<boolean> {
    return this.store.belongsTo(db, sessionId, userId);
  }

  /**
   * Records a fresh proof of identity in a live session (reauthenticate), inside the caller's
   * transaction; the session's cached state is dropped everywhere so the next request sees it.
   */
  async markAuthenticated(db: Db, sessionId: string): Promise<SessionRow | null> {
    const row = await this.store.markAuthenticated(db, sessionId, this.clock.now());
    this.cache?.invalidateSession(sessionId);
    return row;
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
  usableSql(columns: ActivitySql, now = this.clock.now()): Prisma.Sql {
    const idle = this.policy.idleTimeoutMs;
    const idleSince = idle === 0 ? null : new Date(now.getTime() - idle);
    return this.store.usableSql(columns, now, idleSince, new Date(now.getTime() - this.policy.maxLifetimeMs));
  }

  /**
   * The latest expiry a session started at `createdAt` (a SQL expression) may be given: a
   * refresh sets min(its own expiry, this).
   */
  lifetimeEndSql(createdAt: Prisma.Sql): Prisma.Sql {
    return this.store.lifetimeEndSql(createdAt, this.policy.maxLifetimeMs);
  }

  /** Slides the idle window forward; writes only when the last write is a minute old. */
  async touch(sessionId: string, lastSeenAt: Date): Promise<boolean> {
    const now = this.clock.now();
    if (now.getTime() - lastSeenAt.getTime() < LAST_SEEN_WRITE_INTERVAL_MS) return false;
    await this.store.touch(sessionId, now);
    return true;
  }

  /** The user's sessions that can still be used, most recently used first. */
  async listActive(userId: string): Promise<SessionRow[]> {
    const now = this.clock.now();
    const rows = await this.store.listUnrevoked(userId, now);
    return rows.filter((row) => this.isActive(row, now));
  }

  /** Sessions neither revoked nor expired (the activeSessions metric). */
  countActive(): Promise<number> {
    return this.store.countUnrevoked(this.clock.now());
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
    if (state.user.deletedAt || isDisabledAt(state.user, this.clock.now())) return undefined;
    // Never an ADMIN's session by impersonation, even when the account was promoted since.
    if (state.impersonatorId && state.user.role === "ADMIN") return undefined;
    if (await this.touch(claims.sid, state.lastSeenAt)) state.lastSeenAt = this.clock.now();
    return {
      user: state.user,
      sessionId: claims.sid,
      jti: claims.jti,
      tokenExpiresAt: new Date(claims.exp * 1000),
      authenticatedAt: state.authenticatedAt,
      impersonatorId: state.impersonatorId,
      organizationId: state.organizationId,
      organizationRole: state.organizationRole,
    };
  }

  private async load(claims: AccessTokenClaims): Promise<CachedSession | undefined> {
    const since = this.cache?.snapshot();
    const row = await this.store.viewerState(claims.sid, claims.jti);
    // A revoked jti always comes with its session revoked, so caching by session is safe.
    if (!row || row.tokenRevoked) return undefined;
    // An impersonation lasts only while its ADMIN is one; such a state is not cached either.
    if (!row.impersonatorActive) return undefined;
    const { session, user } = row;
    const state: CachedSession = {
      user,
      sessionUserId: session.userId,
      revokedAt: session.revokedAt,
      expiresAt: session.expiresAt,
      lastSeenAt: session.lastSeenAt,
      authenticatedAt: session.authenticatedAt,
      createdAt: session.createdAt,
      impersonatorId: session.impersonatorId,
      organizationId: row.organization?.id ?? null,
      organizationRole: row.organization?.role ?? null,
    };
    if (!session.revokedAt) this.cache?.set(claims.sid, state, since);
    return state;
  }
}
