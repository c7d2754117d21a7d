import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { CredentialService, SessionRevoker } from "../credentials";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { AvatarService } from "./avatar.service";
import { lockLiveUser } from "./user-lock";
import type { UserStore } from "./user.store";
import type { LoginLockoutService } from "../limits";

/**
 * The value the unique username column takes once its account is deleted: ':' is not allowed
 * in usernames, so it can never collide with a real one, and the id keeps it unique.
 */
export function deletedUsernameTombstone(userId: string): string {
  return `deleted:${userId}`;
}

/**
 * Removes what one feature above accounts keeps about a person (second factors, recovery
 * codes, one-time tokens, provider links, passkeys), inside the deletion's transaction. The
 * composition hands in one per feature, so accounts need not know their tables.
 */
export type PersonalDataEraser = (tx: Prisma.TransactionClient, userId: string) => Promise<unknown>;

/**
 * Self-service account deletion. A soft delete: the row stays for the audit trail (id, display
 * username, timestamps), while everything that identifies or authenticates the person goes.
 */
export class AccountDeletionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly users: UserStore,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionRevoker,
    private readonly avatars: AvatarService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly lockout: LoginLockoutService,
    private readonly erasers: readonly PersonalDataEraser[],
  ) {}

  async deleteAccount(userId: string, password: string, origin: AuditOrigin): Promise<void> {
    const current = await this.credentials.currentHash(userId, "PASSWORD");
    if (!current) {
      // Signed in with a provider or a passkey only: the account itself says it has no password.
      throw Errors.badInput("password", "This account has no password; set one with a password reset, then delete the account");
    }
    // A guess at the password counts toward the account's lockout, like a sign-in.
    if (!(await this.lockout.withAttempt(userId, origin, () => this.credentials.verify(password, current.hash)))) {
      throw Errors.badInput("password", "The password is not correct");
    }

    await this.prisma.$transaction(async (tx) => {
      // As the last active ADMIN cannot be demoted or disabled, it cannot delete itself either.
      const activeAdmins = await this.users.lockActiveAdmins(tx, this.clock.now());
      await lockLiveUser(tx, userId);
      if (activeAdmins.includes(userId) && activeAdmins.length <= 1) {
        throw Errors.lastAdmin("The last active ADMIN cannot delete their account; promote another account first");
      }
      await this.erase(tx, userId, { origin });
    });
  }

  /**
   * An ADMIN deletes an account (deleteUser): the same soft delete, audited with the ADMIN as
   * actor. NOT_FOUND for an unknown or deleted account; CONFLICT (LAST_ADMIN) for the last
   * active ADMIN, whoever asks.
   */
  async deleteByAdmin(userId: string, actor: { actorId: string | null; origin: AuditOrigin }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const activeAdmins = await this.users.lockActiveAdmins(tx, this.clock.now());
      const target = await this.users.lock(tx, userId);
      if (!target || target.deletedAt) throw Errors.notFound("No such user");
      if (activeAdmins.includes(userId) && activeAdmins.length <= 1) {
        throw Errors.lastAdmin("The last active ADMIN cannot be deleted; promote another account first");
      }
      await this.erase(tx, userId, actor);
    });
  }

  /** The soft delete itself, inside the caller's transaction, after the user's lock was taken. */
  private async erase(tx: Prisma.TransactionClient, userId: string, by: { actorId?: string | null; origin: AuditOrigin }): Promise<void> {
    const now = this.clock.now();
    // Frees the username and the e-mail address for new accounts; the profile goes with them.
    await this.users.markDeleted(tx, userId, deletedUsernameTombstone(userId), now);
    const sessionsRevoked = await this.sessions.revokeAllForUser(tx, userId, "ACCOUNT_DELETED");
    // Personal data and every way back in: secrets, second factors, linked sign-ins.
    await this.credentials.deleteAll(tx, userId);
    for (const erase of this.erasers) await erase(tx, userId);
    await this.audit.record(
      { type: AuditEventType.ACCOUNT_DELETED, userId, ...(by.actorId !== undefined ? { actorId: by.actorId } : {}), origin: by.origin, metadata: { sessionsRevoked } },
      tx,
    );
    // Last, under the user's lock: an upload waiting for it then finds the account deleted.
    await this.avatars.removeForDeletedAccount(tx, userId);
  }
}
