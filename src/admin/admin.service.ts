import type { Prisma, PrismaClient, Role, User } from "../generated/prisma/client";
import { isDisabledAt, type AccountDeletionService, type AccountService, type ProfileService, type ProfileUpdate, type UserStore } from "../accounts";
import type { SessionRevoker } from "../credentials";
import type { SessionRow, SessionService } from "../sessions";
import type { PasswordResetService } from "../recovery";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { codePointName, unsafeCharacterIn } from "../common/text-safety";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";

type Tx = Prisma.TransactionClient;

/** Who acts: an admin's user id, or null for the operator's command line. */
export interface AdminActor {
  actorId: string | null;
  origin: AuditOrigin;
}

/** The longest reason an ADMIN may give for disabling an account, in characters. */
export const DISABLED_REASON_MAX_LENGTH = 500;

/** What a ban says: why, and until when (null: until an ADMIN enables the account). */
export interface Ban {
  reason?: string | null;
  until?: Date | null;
}

/** What createUser asks for. */
export interface NewUserByAdmin {
  username: string;
  email?: string | null;
  password?: string | null;
  role?: Role | null;
}

/** The support features admin actions reach in the features below (the composition hands them in). */
export interface AdminSupport {
  accounts: AccountService;
  profiles: ProfileService;
  deletion: AccountDeletionService;
  sessionList: SessionService;
  passwordReset: PasswordResetService;
  /** How long the set-password link of an account created without a password stays valid. */
  setPasswordLinkTtlMs: number;
}

/**
 * Admin actions on accounts: role, disabled flag and bans, sessions, and the support work
 * (create, update, delete, password reset). Each writes its audit event, with the ADMIN as
 * actor, in its transaction.
 */
export class AdminService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly users: UserStore,
    private readonly sessions: SessionRevoker,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly support: AdminSupport,
  ) {}

  setRole(actor: AdminActor, userId: string, role: Role): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      const activeAdmins = await this.users.lockActiveAdmins(tx, this.clock.now());
      const target = await this.lockLiveUser(tx, userId);
      if (target.role === role) return target;
      if (role !== "ADMIN" && activeAdmins.includes(target.id) && activeAdmins.length <= 1) {
        throw Errors.conflict("role", "The last active ADMIN cannot be demoted; promote another account first");
      }
      const updated = await this.users.setRole(tx, target.id, role, this.clock.now());
      await this.audit.record(
        { type: AuditEventType.ROLE_CHANGED, userId: target.id, actorId: actor.actorId, origin: actor.origin, metadata: { from: target.role, to: role } },
        tx,
      );
      return updated;
    });
  }

  /** The command line's way in: by username. */
  async setRoleByUsername(actor: AdminActor, usernameNormalized: string, role: Role): Promise<{ user: User; previous: Role }> {
    const found = await this.users.findByUsername(usernameNormalized);
    if (!found || found.deletedAt) throw Errors.notFound("No such user");
    return { user: await this.setRole(actor, found.id, role), previous: found.role };
  }

  /**
   * Disabling revokes every session of the account at once; its access tokens fail on the next
   * request. A ban may carry a reason (at most 500 characters, no control or invisible
   * characters) and an end in the future: past it the account signs in and reads as enabled
   * again (isDisabledAt), and the ban sweep (liftEndedBans) clears it. Disabling an account that
   * is already disabled replaces the reason and the end.
   */
  setDisabled(actor: AdminActor, userId: string, disabled: boolean, ban: Ban = {}): Promise<User> {
    const now = this.clock.now();
    const reason = disabled ? cleanReason(ban.reason) : null;
    const until = disabled ? (ban.until ?? null) : null;
    if (until && (Number.isNaN(until.getTime()) || until.getTime() <= now.getTime())) {
      throw Errors.badInput("until", "until must be in the future");
    }
    return this.prisma.$transaction(async (tx) => {
      const activeAdmins = await this.users.lockActiveAdmins(tx, this.clock.now());
      const target = await this.lockLiveUser(tx, userId);
      const disabledNow = isDisabledAt(target, now);
      if (!disabled && !target.disabled) return target;
      if (disabled && disabledNow && target.disabledReason === reason && sameTime(target.disabledUntil, until)) return target;
      if (disabled && activeAdmins.includes(target.id) && activeAdmins.length <= 1) {
        throw Errors.conflict("disabled", "The last active ADMIN cannot be disabled; promote another account first");
      }
      const updated = await this.users.setDisabled(tx, target.id, { disabled, reason, until }, now);
      if (disabled) {
        // Also when only the reason or end changes: a session started after an ended ban goes too.
        const sessionsRevoked = await this.sessions.revokeAllForUser(tx, target.id, "USER_DISABLED");
        await this.audit.record(
          {
            type: AuditEventType.USER_DISABLED,
            userId: target.id,
            actorId: actor.actorId,
            origin: actor.origin,
            metadata: { sessionsRevoked, ...(reason ? { reason } : {}), ...(until ? { until: until.toISOString() } : {}) },
          },
          tx,
        );
      } else {
        await this.audit.record({ type: AuditEventType.USER_ENABLED, userId: target.id, actorId: actor.actorId, origin: actor.origin }, tx);
      }
      return updated;
    });
  }

  /**
   * The ban sweep: enables the accounts whose timed ban has ended, audited as USER_ENABLED with
   * no actor. Sign-in and reads do not wait for it (they compare the end with the clock); it
   * keeps the stored flag, search filters and the active-ADMIN count true. Returns how many.
   */
  liftEndedBans(): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const ids = await this.users.liftEndedBans(tx, this.clock.now());
      for (const userId of ids) {
        await this.audit.record(
          { type: AuditEventType.USER_ENABLED, userId, actorId: null, origin: { ip: null, userAgent: null }, metadata: { reason: "BAN_ENDED" } },
          tx,
        );
      }
      return ids.length;
    });
  }

  /** Revokes every live session of an account; returns how many. */
  revokeSessions(actor: AdminActor, userId: string): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const target = await this.lockLiveUser(tx, userId);
      const count = await this.sessions.revokeAllForUser(tx, target.id, "REVOKED_BY_ADMIN");
      await this.audit.record(
        { type: AuditEventType.SESSION_REVOKED, userId: target.id, actorId: actor.actorId, origin: actor.origin, metadata: { scope: "ALL", count } },
        tx,
      );
      return count;
    });
  }

  /**
   * An account's sessions that can still be used, most recently used first. NOT_FOUND for an
   * unknown or deleted account. `hideFrom`: a MODERATOR reading an ADMIN gets an empty list
   * (the sessions are part of the security state a MODERATOR never sees of an ADMIN).
   */
  async userSessions(userId: string, hideSecurityState: (user: User) => boolean): Promise<SessionRow[]> {
    const { accounts, sessionList } = this.support;
    const user = await accounts.findById(userId);
    if (!user) throw Errors.notFound("No such user");
    if (hideSecurityState(user)) return [];
    return sessionList.listActive(user.id);
  }

  /**
   * Ends one session of an account. NOT_FOUND when the account is unknown or deleted, or the
   * session is not one of its sessions; false when it had already ended; true when revoked.
   */
  revokeUserSession(actor: AdminActor, userId: string, sessionId: string): Promise<boolean> {
    const { sessionList } = this.support;
    return this.prisma.$transaction(async (tx) => {
      const target = await this.lockLiveUser(tx, userId);
      if (!(await sessionList.belongsTo(tx, sessionId, target.id))) throw Errors.notFound("Session not found");
      const revoked = await sessionList.revoke(tx, sessionId, "REVOKED_BY_ADMIN");
      if (revoked) {
        await this.audit.record(
          { type: AuditEventType.SESSION_REVOKED, userId: target.id, actorId: actor.actorId, origin: actor.origin, metadata: { sessionId } },
          tx,
        );
      }
      return revoked;
    });
  }

  /**
   * Creates an account with the sign-up rules (no secret passkey). Without a password its owner
   * sets one through a set-password link mailed to the address (the reset link form), valid for
   * setPasswordLinkTtlMs; BAD_USER_INPUT when there is neither a password nor an address.
   */
  createUser(actor: AdminActor, input: NewUserByAdmin): Promise<User> {
    const { accounts, passwordReset, setPasswordLinkTtlMs } = this.support;
    return accounts.createByAdmin(input, actor, (tx, user) => passwordReset.mailLinkFor(tx, user, setPasswordLinkTtlMs));
  }

  /** Changes an account's username, address, verified flag and profile (ProfileService.adminUpdate). */
  updateUser(actor: AdminActor, userId: string, input: ProfileUpdate & { emailVerified?: boolean | null }): Promise<User> {
    return this.support.profiles.adminUpdate(userId, input, actor);
  }

  /**
   * Mails a password-reset link to the account's address, verified or not: the ADMIN vouches
   * for it, and following the link proves the mailbox. BAD_USER_INPUT when it has no address.
   */
  sendPasswordReset(actor: AdminActor, userId: string): Promise<boolean> {
    const { passwordReset } = this.support;
    return this.prisma.$transaction(async (tx) => {
      const target = await this.lockLiveUser(tx, userId);
      await passwordReset.mailLinkFor(tx, target);
      await this.audit.record({ type: AuditEventType.PASSWORD_RESET_SENT, userId: target.id, actorId: actor.actorId, origin: actor.origin }, tx);
      return true;
    });
  }

  /** The soft delete of deleteAccount, by an ADMIN; the last active ADMIN cannot be deleted. */
  async deleteUser(actor: AdminActor, userId: string): Promise<boolean> {
    await this.support.deletion.deleteByAdmin(userId, actor);
    return true;
  }

  /**
   * Locks a live account's row (after the active ADMINs' rows, as every admin action takes
   * them: lockActiveAdmins in user.store.ts) and returns it as it is now.
   */
  private async lockLiveUser(tx: Tx, userId: string): Promise<User> {
    const target = await this.users.lock(tx, userId);
    if (!target || target.deletedAt) throw Errors.notFound("No such user");
    return target;
  }
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/** A ban's reason as stored: NFC, trimmed, empty as none; control and invisible characters refused. */
function cleanReason(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = value.normalize("NFC").replace(/\r\n?/g, "\n").trim();
  if (text === "") return null;
  const unsafe = unsafeCharacterIn(text, { allowNewline: true });
  if (unsafe !== undefined) throw Errors.badInput("reason", `reason may not contain control or invisible formatting characters (${codePointName(unsafe)})`);
  if ([...text].length > DISABLED_REASON_MAX_LENGTH) throw Errors.badInput("reason", `reason must be at most ${DISABLED_REASON_MAX_LENGTH} characters`);
  return text;
}
