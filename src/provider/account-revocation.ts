import { AuditEventType, type AuditEntry, type AuditEventListener } from "../audit";
import type { Logger } from "../logger";
import type { OidcPayloadStore } from "./oidc-payload.store";

/**
 * The Latchkey events after which the account's provider sessions, grants and refresh tokens
 * end too (one account, one truth): a session revoked (revokeSession, revokeUserSessions),
 * a logout of every session, the account disabled or deleted, a password reset or change.
 */
export function endsProviderState(entry: AuditEntry): boolean {
  switch (entry.type) {
    case AuditEventType.SESSION_REVOKED:
    case AuditEventType.USER_DISABLED:
    case AuditEventType.ACCOUNT_DELETED:
    case AuditEventType.PASSWORD_RESET:
    case AuditEventType.PASSWORD_CHANGED:
    case AuditEventType.REFRESH_TOKEN_REUSED:
      return true;
    case AuditEventType.LOGOUT:
      return entry.metadata?.allSessions === true;
    default:
      return false;
  }
}

/** Told of every committed audit event; deletes the account's engine state when it must end. */
export class AccountRevocation implements AuditEventListener {
  private pending = new Set<Promise<unknown>>();

  constructor(
    private readonly payloads: OidcPayloadStore,
    private readonly logger: Logger,
  ) {}

  eventRecorded(entry: AuditEntry): void {
    const userId = entry.userId;
    if (!userId || !endsProviderState(entry)) return;
    const work = this.payloads
      .deleteForAccount(userId)
      .then((count) => {
        if (count > 0) this.logger.debug({ userId, removed: count, reason: entry.type }, "OpenID Provider state of the account ended");
      })
      .catch((error: unknown) => this.logger.error({ err: error, userId }, "ending the account's OpenID Provider state failed"))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Resolves once every deletion started so far has finished (shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
