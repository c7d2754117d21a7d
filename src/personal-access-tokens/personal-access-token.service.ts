import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { Errors } from "../common/app-error";
import type { RequestOrigin } from "../common/request-origin";
import { AuditEventType, type AuditService } from "../audit";
import { isDisabledAt } from "../accounts";
import type { Viewer } from "../graphql/viewer";
import { STAFF_TOKEN_SCOPES, TOKEN_SCOPES, type TokenScopeName } from "../graphql/token-scope";
import { isWellFormedTokenSecret, newTokenSecret, tokenHashOf } from "./token-secret";
import type { PersonalAccessTokenRow, PersonalAccessTokenStore, TokenRequestRow } from "./personal-access-token.store";
import type { TokenLookupCache } from "./token-lookup-cache";

export const NAME_MAX = 100;
/** A token lasts at most this long; expiresAt left out means it never expires. */
export const MAX_LIFETIME_MS = 366 * 24 * 60 * 60 * 1000;
/** The most usable (neither revoked nor expired) tokens one account may hold. */
export const MAX_TOKENS_PER_USER = 50;
/** A token's last use is written at most this often, so a busy script does not write on every request. */
export const LAST_USE_WRITE_INTERVAL_MS = 60_000;
/** The scope a token gets when createPersonalAccessToken names none. */
export const DEFAULT_SCOPES: readonly TokenScopeName[] = ["read:profile"];
const STAFF_ROLES = new Set(["MODERATOR", "ADMIN"]);
// A token that never expires still needs a date on the viewer (tokenExpiresAt).
const NEVER = new Date(8.64e15);

export interface CreateTokenInput {
  name: string;
  expiresAt?: Date | null;
  scopes?: readonly string[] | null;
}

/**
 * Personal access tokens: long-lived bearer secrets (lk_pat_...) a user makes for scripts. The
 * secret is shown once and stored as its SHA-256, which is also how a request's token is found,
 * so no comparison of secrets happens. A token stops working at once when it is revoked or
 * expires, while its account is disabled, and goes with a deleted account; a password change or
 * reset and logoutAllSessions leave it be (they end sessions; a token is not one). The lookup may
 * be answered from the token cache (TokenLookupCache) while invalidations reach every process: a
 * revocation announces the owner there, as every change to a user already is.
 */
export class PersonalAccessTokenService {
  /** Last-use writes under way (tests and shutdown may wait for them). */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: PersonalAccessTokenStore,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly cache?: TokenLookupCache,
    private readonly onLookup?: (result: "hit" | "miss") => void,
  ) {}

  /** Makes a token for the user; the secret is in the answer and nowhere else. */
  async create(user: { id: string; role: string }, input: CreateTokenInput, origin: RequestOrigin): Promise<{ token: PersonalAccessTokenRow; secret: string }> {
    const now = this.clock.now();
    const name = input.name.trim();
    if (name.length < 1 || name.length > NAME_MAX) throw Errors.badInput("name", `The name must be 1 to ${NAME_MAX} characters`);
    const scopes = [...new Set(input.scopes ?? DEFAULT_SCOPES)];
    if (scopes.length === 0) throw Errors.badInput("scopes", "Give the token at least one scope");
    for (const scope of scopes) {
      if (!Object.hasOwn(TOKEN_SCOPES, scope)) throw Errors.badInput("scopes", `Unknown scope; the scopes are ${Object.keys(TOKEN_SCOPES).join(", ")}`);
      if (STAFF_TOKEN_SCOPES.has(scope as TokenScopeName) && !STAFF_ROLES.has(user.role)) {
        throw Errors.badInput("scopes", `Only a MODERATOR or ADMIN may give a token the ${scope} scope`);
      }
    }
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt) {
      if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime()) throw Errors.badInput("expiresAt", "expiresAt must be in the future");
      if (expiresAt.getTime() - now.getTime() > MAX_LIFETIME_MS) throw Errors.badInput("expiresAt", "A token may last at most a year (366 days)");
    }
    const secret = newTokenSecret();
    const token = await this.prisma.$transaction(async (tx) => {
      if ((await this.store.countUsable(tx, user.id, now)) >= MAX_TOKENS_PER_USER) {
        throw Errors.conflict("name", `An account may hold at most ${MAX_TOKENS_PER_USER} tokens: revoke one first`);
      }
      const row = await this.store.insert(tx, { userId: user.id, name, tokenHash: tokenHashOf(secret), scopes, expiresAt, createdAt: now });
      await this.audit.record(
        {
          type: AuditEventType.PERSONAL_ACCESS_TOKEN_CREATED,
          userId: user.id,
          origin,
          metadata: { tokenId: row.id, scopes, expiresAt: expiresAt?.toISOString() ?? null },
        },
        tx,
      );
      return row;
    });
    return { token, secret };
  }

  list(userId: string, includeRevoked: boolean): Promise<PersonalAccessTokenRow[]> {
    return this.store.listForUser(userId, includeRevoked);
  }

  /**
   * Revokes one of the user's own tokens, at once for every process: the owner is announced on
   * the invalidation bus before the revocation commits (the caches hold off caching the owner's
   * tokens for longer than a transaction lasts), also when it was already revoked. NOT_FOUND for
   * anyone else's.
   */
  async revoke(userId: string, id: string, origin: RequestOrigin): Promise<PersonalAccessTokenRow> {
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      const revoked = await this.store.revoke(tx, userId, id, now);
      const row = await this.store.findOwned(tx, userId, id);
      if (!row) throw Errors.notFound("No such personal access token");
      this.cache?.invalidateUser(userId);
      if (revoked) await this.audit.record({ type: AuditEventType.PERSONAL_ACCESS_TOKEN_REVOKED, userId, origin, metadata: { tokenId: id } }, tx);
      return row;
    });
  }

  /**
   * The viewer a bearer secret stands for, or undefined (unknown, malformed, revoked, expired, or
   * its account disabled or deleted): one statement reads the token and its user, or the token
   * cache answers. Every check runs on each request, cached or not; a staff scope counts only
   * while the owner is MODERATOR or ADMIN. The use is recorded off the response path.
   */
  async viewerFor(secret: string, ip: string | null): Promise<Viewer | undefined> {
    if (!isWellFormedTokenSecret(secret)) return undefined;
    const tokenHash = tokenHashOf(secret);
    const row = await this.lookUp(tokenHash);
    if (!row) return undefined;
    const { token, user } = row;
    const now = this.clock.now();
    if (token.revokedAt || (token.expiresAt && token.expiresAt.getTime() <= now.getTime())) return undefined;
    if (user.deletedAt || isDisabledAt(user, now)) return undefined;
    const staff = STAFF_ROLES.has(user.role);
    const scopes = token.scopes.filter((scope) => staff || !STAFF_TOKEN_SCOPES.has(scope as TokenScopeName));
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USE_WRITE_INTERVAL_MS) {
      this.recordUse(token.id, now, ip);
      this.cache?.noteUse(tokenHash, now);
    }
    return {
      user,
      sessionId: "",
      jti: "",
      tokenExpiresAt: token.expiresAt ?? NEVER,
      authenticatedAt: token.createdAt,
      impersonatorId: null,
      organizationId: null,
      organizationRole: null,
      personalAccessToken: { id: token.id, scopes },
    };
  }

  /** The token and its user: from the cache while it may answer, else one statement (cached when it may be). */
  private async lookUp(tokenHash: string): Promise<TokenRequestRow | undefined> {
    if (!this.cache?.enabled) return this.store.findForRequest(tokenHash);
    const cached = this.cache.get(tokenHash);
    this.onLookup?.(cached ? "hit" : "miss");
    if (cached) return cached;
    const since = this.cache.snapshot();
    const row = await this.store.findForRequest(tokenHash);
    // An unknown hash is not cached: nothing to invalidate it by, and nothing to save.
    if (row) this.cache.set(tokenHash, row, since);
    return row;
  }

  private recordUse(id: string, now: Date, ip: string | null): void {
    const write = this.store
      .recordUse(id, now, ip, new Date(now.getTime() - LAST_USE_WRITE_INTERVAL_MS))
      .catch((error: unknown) => this.logger.warn({ err: error }, "recording a personal access token's last use failed"))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Waits for the last-use writes under way. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /**
   * Erases the user's tokens (the account's deletion), in its transaction. The deletion's audit
   * event (ACCOUNT_DELETED) announces the user, which drops their cached tokens everywhere.
   */
  eraseAll: PersonalAccessTokenStore["deleteAllForUser"] = (db, userId) => this.store.deleteAllForUser(db, userId);
}
