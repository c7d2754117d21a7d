import type { PrismaClient, Prisma } from "../generated/prisma/client";
import type { Clock } from "../common/clock";

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
]);

export interface AuditOrigin {
  ip: string | null;
  userAgent: string | null;
}

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
   * Runs after each event is written, with the same database handle, so inside the change's
   * transaction. Webhook events hang off this one place: every change that emits one is
   * already audited in its transaction, so a map from audit to webhook events
   * (webhooks/webhook-events.ts) covers them all without a second call in each service.
   */
  onRecorded?: (entry: AuditEntry, db: Db) => Promise<void>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /** Records an event; pass the transaction when the event belongs to a write. */
  async record(entry: AuditEntry, db: Db = this.prisma): Promise<void> {
    await db.auditEvent.create({
      data: {
        type: entry.type,
        userId: entry.userId ?? null,
        actorId: entry.actorId === undefined ? (entry.userId ?? null) : entry.actorId,
        ip: entry.origin.ip,
        userAgent: entry.origin.userAgent?.slice(0, 512) ?? null,
        metadata: (entry.metadata ?? undefined) as Prisma.InputJsonValue | undefined,
        createdAt: this.clock.now(),
      },
    });
    await this.onRecorded?.(entry, db);
    if (entry.userId && !LEAVES_USER_UNCHANGED.has(entry.type)) this.onUserEvent?.(entry.userId);
  }
}
