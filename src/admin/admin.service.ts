import type { Prisma, PrismaClient, Role, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import type { SessionService } from "../sessions/session.service";

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
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  setRole(actor: AdminActor, userId: string, role: Role): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      const activeAdmins = await this.lockActiveAdmins(tx);
      const target = await this.lockLiveUser(tx, userId);
      if (target.role === role) return target;
      if (role !== "ADMIN" && activeAdmins.includes(target.id) && activeAdmins.length <= 1) {
        throw Errors.conflict("role", "The last active ADMIN cannot be demoted; promote another account first");
      }
      const updated = await tx.user.update({ where: { id: target.id }, data: { role, updatedAt: this.clock.now() } });
      await this.audit.record(
        { type: AuditEventType.ROLE_CHANGED, userId: target.id, actorId: actor.actorId, origin: actor.origin, metadata: { from: target.role, to: role } },
        tx,
      );
      return updated;
    });
  }

  /** The command line's way in: by username. */
  async setRoleByUsername(actor: AdminActor, usernameNormalized: string, role: Role): Promise<{ user: User; previous: Role }> {
    const found = await this.prisma.user.findFirst({ where: { usernameNormalized, deletedAt: null }, select: { id: true, role: true } });
    if (!found) throw Errors.notFound("No such user");
    return { user: await this.setRole(actor, found.id, role), previous: found.role };
  }

  /** Disabling revokes every session of the account at once; its access tokens fail on the next request. */
  setDisabled(actor: AdminActor, userId: string, disabled: boolean): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      const activeAdmins = await this.lockActiveAdmins(tx);
      const target = await this.lockLiveUser(tx, userId);
      if (target.disabled === disabled) return target;
      if (disabled && activeAdmins.includes(target.id) && activeAdmins.length <= 1) {
        throw Errors.conflict("disabled", "The last active ADMIN cannot be disabled; promote another account first");
      }
      const updated = await tx.user.update({ where: { id: target.id }, data: { disabled, updatedAt: this.clock.now() } });
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
   * Locks the rows of every active (enabled, not deleted) ADMIN, in id order, and returns
   * their ids. Two admins demoting each other at once: the second waits for the first,
   * then sees one admin left and is refused, so at least one always remains.
   */
  private async lockActiveAdmins(tx: Tx): Promise<string[]> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "User" WHERE role = 'ADMIN' AND disabled = false AND "deletedAt" IS NULL ORDER BY id FOR UPDATE`;
    return rows.map((row) => row.id);
  }

  private async lockLiveUser(tx: Tx, userId: string): Promise<User> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "User" WHERE id = ${userId} AND "deletedAt" IS NULL FOR UPDATE`;
    if (locked.length === 0) throw Errors.notFound("No such user");
    return tx.user.findUniqueOrThrow({ where: { id: userId } });
  }
}
