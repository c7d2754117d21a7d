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
} as const;
export type AuditEventType = (typeof AuditEventType)[keyof typeof AuditEventType];

// Events that change nothing a signed-in request reads about the user.
const LEAVES_USER_UNCHANGED = new Set<string>([
  AuditEventType.LOGIN_FAILED,
  AuditEventType.LOGIN_SUCCEEDED,
  AuditEventType.ACCOUNT_LOCKED,
  "TWO_FACTOR_CHALLENGE_FAILED",
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
    if (entry.userId && !LEAVES_USER_UNCHANGED.has(entry.type)) this.onUserEvent?.(entry.userId);
  }
}
