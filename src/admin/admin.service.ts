import type { Prisma, PrismaClient, Role, User } from "../generated/prisma/client";
import type { UserStore } from "../accounts";
import type { SessionRevoker } from "../credentials";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";

type Tx = Prisma.TransactionClient;

/** Who acts: an admin's user id, or null for the operator's command line. */
export interface AdminActor {
  actorId: string | null;
  origin: AuditOrigin;
}

/** Admin actions on accounts: role, disabled flag, sessions. Each writes its audit event in its transaction. */
export class AdminService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly users: UserStore,
    private readonly sessions: SessionRevoker,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  setRole(actor: AdminActor, userId: string, role: Role): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      const activeAdmins = await this.users.lockActiveAdmins(tx);
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

  /** Disabling revokes every session of the account at once; its access tokens fail on the next request. */
  setDisabled(actor: AdminActor, userId: string, disabled: boolean): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      const activeAdmins = await this.users.lockActiveAdmins(tx);
      const target = await this.lockLiveUser(tx, userId);
      if (target.disabled === disabled) return target;
      if (disabled && activeAdmins.includes(target.id) && activeAdmins.length <= 1) {
        throw Errors.conflict("disabled", "The last active ADMIN cannot be disabled; promote another account first");
      }
      const updated = await this.users.setDisabled(tx, target.id, disabled, this.clock.now());
      if (disabled) {
        const sessionsRevoked = await this.sessions.revokeAllForUser(tx, target.id, "USER_DISABLED");
        await this.audit.record(
          { type: AuditEventType.USER_DISABLED, userId: target.id, actorId: actor.actorId, origin: actor.origin, metadata: { sessionsRevoked } },
          tx,
        );
      } else {
        await this.audit.record({ type: AuditEventType.USER_ENABLED, userId: target.id, actorId: actor.actorId, origin: actor.origin }, tx);
      }
      return updated;
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
   * Locks a live account's row (after the active ADMINs' rows, as every admin action takes
   * them: lockActiveAdmins in user.store.ts) and returns it as it is now.
   */
  private async lockLiveUser(tx: Tx, userId: string): Promise<User> {
    const target = await this.users.lock(tx, userId);
    if (!target || target.deletedAt) throw Errors.notFound("No such user");
    return target;
  }
}
