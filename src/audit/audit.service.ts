import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { RequestOrigin } from "../common/request-origin";
import { utc } from "../db/sql-time";
import { uuidv7At } from "../db/sql-ids";
import { escapeUnsafeCharacters, escapeUnsafeCharactersDeep } from "../common/text-safety";

type Db = PrismaClient | Prisma.TransactionClient;

/** Every event type written to the audit trail, in one place. */
export const AuditEventType = {
  REGISTERED: "REGISTERED",
  LOGIN_SUCCEEDED: "LOGIN_SUCCEEDED",
  LOGIN_FAILED: "LOGIN_FAILED",
  ACCOUNT_LOCKED: "ACCOUNT_LOCKED",
  LOGOUT: "LOGOUT",
  SESSION_REVOKED: "SESSION_REVOKED",
  REFRESH_TOKEN_REUSED: "REFRESH_TOKEN_REUSED",
  PASSWORD_CHANGED: "PASSWORD_CHANGED",
  PASSWORD_RESET: "PASSWORD_RESET",
  PASSWORD_REHASHED: "PASSWORD_REHASHED",
  PROFILE_UPDATED: "PROFILE_UPDATED",
  AVATAR_CHANGED: "AVATAR_CHANGED",
  EMAIL_VERIFIED: "EMAIL_VERIFIED",
  /** updateProfile asked for a new address; it is pendingEmail until its link is followed. */
  EMAIL_CHANGE_REQUESTED: "EMAIL_CHANGE_REQUESTED",
  /** The confirmation link made the pending address the account's (verified) address. */
  EMAIL_CHANGED: "EMAIL_CHANGED",
  /** Another account proved the mailbox of this account's unverified address: the claim was dropped. */
  EMAIL_CLAIM_REMOVED: "EMAIL_CLAIM_REMOVED",
  TWO_FACTOR_ENABLED: "TWO_FACTOR_ENABLED",
  TWO_FACTOR_DISABLED: "TWO_FACTOR_DISABLED",
  TWO_FACTOR_RECOVERY_CODE_USED: "TWO_FACTOR_RECOVERY_CODE_USED",
  TWO_FACTOR_CHALLENGE_FAILED: "TWO_FACTOR_CHALLENGE_FAILED",
  RECOVERY_CODES_REGENERATED: "RECOVERY_CODES_REGENERATED",
  ROLE_CHANGED: "ROLE_CHANGED",
  USER_DISABLED: "USER_DISABLED",
  USER_ENABLED: "USER_ENABLED",
  ACCOUNT_DELETED: "ACCOUNT_DELETED",
  OAUTH_ACCOUNT_LINKED: "OAUTH_ACCOUNT_LINKED",
  OAUTH_ACCOUNT_UNLINKED: "OAUTH_ACCOUNT_UNLINKED",
  WEBHOOK_ENDPOINT_CREATED: "WEBHOOK_ENDPOINT_CREATED",
  WEBHOOK_ENDPOINT_UPDATED: "WEBHOOK_ENDPOINT_UPDATED",
  WEBHOOK_ENDPOINT_DELETED: "WEBHOOK_ENDPOINT_DELETED",
  WEBHOOK_SECRET_ROTATED: "WEBHOOK_SECRET_ROTATED",
  WEBHOOK_REDELIVERY_REQUESTED: "WEBHOOK_REDELIVERY_REQUESTED",
  /** An endpoint that kept failing was turned off by the deliverer (no actor). */
  WEBHOOK_ENDPOINT_DISABLED: "WEBHOOK_ENDPOINT_DISABLED",
  PASSKEY_ADDED: "PASSKEY_ADDED",
  PASSKEY_RENAMED: "PASSKEY_RENAMED",
  PASSKEY_REMOVED: "PASSKEY_REMOVED",
  /** A passkey presented a sign counter at or below the stored one: possibly a cloned authenticator. */
  PASSKEY_COUNTER_REGRESSED: "PASSKEY_COUNTER_REGRESSED",
  /** The user proved who they are again in a session (reauthenticate); metadata names the method. */
  REAUTHENTICATED: "REAUTHENTICATED",
  REAUTHENTICATION_FAILED: "REAUTHENTICATION_FAILED",
  SECRET_PASSKEY_CHANGED: "SECRET_PASSKEY_CHANGED",
} as const;
export type AuditEventType = (typeof AuditEventType)[keyof typeof AuditEventType];

// Events that change nothing a signed-in request reads about the user.
const LEAVES_USER_UNCHANGED = new Set<string>([
  // A new account: nothing about it can be cached yet, so nothing can be stale.
  AuditEventType.REGISTERED,
  AuditEventType.LOGIN_FAILED,
  AuditEventType.LOGIN_SUCCEEDED,
  AuditEventType.ACCOUNT_LOCKED,
  "TWO_FACTOR_CHALLENGE_FAILED",
  "PASSKEY_COUNTER_REGRESSED",
  // The session's own cache entry is dropped where authenticatedAt is written.
  "REAUTHENTICATED",
  "REAUTHENTICATION_FAILED",
]);

/** Where the request came from: common/request-origin.ts. */
export type AuditOrigin = RequestOrigin;

export interface AuditEntry {
  type: AuditEventType;
  userId?: string | null;
  /** Who acted; left out, the user acted themself; null, no account acted (the operator's command line). */
  actorId?: string | null;
  origin: AuditOrigin;
  /** Never secrets: no passwords, tokens or codes. */
  metadata?: Record<string, unknown>;
}

export class AuditService {
  /** Told of every user an event is about; the session cache drops what it holds for them. */
  onUserEvent?: (userId: string) => void;
  /**
   * The statement part (a CTE named webhook_deliveries) writing the webhook deliveries an audit
   * event stands for, or null. Webhook events hang off this one place: every change that emits
   * one is already audited in its transaction, so a map from audit to webhook events
   * (webhooks/webhook-events.ts) covers them all without a second call in each service, and the
   * deliveries go in the audit row's own statement.
   */
  webhookDeliveries?: (entry: AuditEntry, db: Db, now: Date) => Promise<Prisma.Sql | null>;
  /**
   * Listeners that add their own CTEs to an event's statement (e.g. the security notice mail of
   * notices/security-notices.ts): what they write commits with the event, in its round trip.
   */
  readonly statementListeners: Array<(entry: AuditEntry, now: Date) => Prisma.Sql | null> = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /** Records an event (and its webhook deliveries) in one statement; pass the transaction when the event belongs to a write. */
  async record(entry: AuditEntry, db: Db = this.prisma): Promise<void> {
    await db.$executeRaw`WITH ${await this.statementParts(entry, db)} SELECT 1`;
    this.recorded(entry);
  }

  /**
   * The event as CTEs (audit_event, and webhook_deliveries when it stands for a webhook event;
   * none are written when no endpoint subscribes), for a caller that writes it as part of its
   * own statement. PostgreSQL runs a data-modifying CTE whether or not the statement reads it.
   * Call `recorded` once it commits.
   */
  async statementParts(entry: AuditEntry, db: Db = this.prisma): Promise<Prisma.Sql> {
    const now = this.clock.now();
    // Metadata quotes what callers sent (names, user agents, reasons): control, invisible and
    // bidirectional characters are written out (`\u{202e}`), so the record is exact and inert.
    const metadata = entry.metadata === undefined || entry.metadata === null ? null : JSON.stringify(escapeUnsafeCharactersDeep(entry.metadata));
    const userAgent = entry.origin.userAgent == null ? null : escapeUnsafeCharacters(entry.origin.userAgent.slice(0, 512));
    const row = Prisma.sql`audit_event AS (
      INSERT INTO "AuditEvent" (id, type, "userId", "actorId", ip, "userAgent", metadata, "createdAt")
      VALUES (${uuidv7At(now)}, ${entry.type}, ${entry.userId ?? null}, ${entry.actorId === undefined ? (entry.userId ?? null) : entry.actorId},
              ${entry.origin.ip}, ${userAgent}, ${metadata}::jsonb, ${utc(now)}))`;
    const deliveries = await this.webhookDeliveries?.(entry, db, now);
    const parts = [row, ...(deliveries ? [deliveries] : [])];
    for (const listener of this.statementListeners) {
      const part = listener(entry, now);
      if (part) parts.push(part);
    }
    return Prisma.join(parts, ", ");
  }

  /** After an event written through `statementParts` committed. */
  recorded(entry: AuditEntry): void {
    if (entry.userId && !LEAVES_USER_UNCHANGED.has(entry.type)) this.onUserEvent?.(entry.userId);
  }
}
