import type { PrismaClient, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { SessionRevoker } from "./session-revoker";
import type { CredentialService } from "./credential.service";
import type { LoginLockoutService } from "../limits";

/** Who changes the password: the signed-in account and the session that stays signed in. */
export interface PasswordChanger {
  user: Pick<User, "id" | "username" | "email">;
  sessionId: string;
}

/** changePassword: proves the current password, applies policy and history, signs out the rest. */
export class PasswordChangeService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionRevoker,
    private readonly audit: AuditService,
    private readonly lockout: LoginLockoutService,
  ) {}

  async change(viewer: PasswordChanger, currentPassword: string, newPassword: string, origin: AuditOrigin): Promise<void> {
    const user = viewer.user;
    const current = await this.credentials.currentHash(user.id, "PASSWORD");
    // Accounts made through a provider, or kept with passkeys only, have none to change.
    if (!current) throw Errors.badInput("currentPassword", "This account has no password; set one with a password reset");
    // A guess at the current password counts toward the account's lockout, like a sign-in.
    if (!(await this.lockout.withAttempt(user.id, origin, () => this.credentials.verify(currentPassword, current.hash)))) {
      throw Errors.badInput("currentPassword", "The current password is not correct");
    }
    const hash = await this.credentials.prepareNewPassword(user.id, newPassword, { username: user.username, email: user.email });
    await this.prisma.$transaction(async (tx) => {
      await this.credentials.storeNewPassword(tx, user.id, hash);
      const revoked = await this.sessions.revokeAllForUser(tx, user.id, AuditEventType.PASSWORD_CHANGED, viewer.sessionId);
      await this.audit.record({ type: AuditEventType.PASSWORD_CHANGED, userId: user.id, origin, metadata: { otherSessionsRevoked: revoked } }, tx);
    });
  }
}
