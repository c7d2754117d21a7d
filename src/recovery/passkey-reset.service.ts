import type { PrismaClient } from "../generated/prisma/client";
import { type AccountService, normalizeUsername } from "../accounts";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { CredentialService } from "../credentials";
import type { SessionService } from "../sessions";
import { LoginLockoutService } from "../limits";
import type { OneTimeTokenService } from "./one-time-token.service";

/**
 * Offline recovery: the username and the secret passkey chosen at sign-up set a new password.
 * Unknown user, deleted account and wrong passkey give login's one generic error, and an
 * unknown user still spends one hash compare.
 */
export class PasskeyResetService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly accounts: AccountService,
    private readonly tokens: OneTimeTokenService,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly lockout: LoginLockoutService,
  ) {}

  async reset(input: { username: string; secretPasskey: string; newPassword: string }, origin: AuditOrigin): Promise<void> {
    // One lookup on both paths: the account with its current passkey hash.
    const user = await this.accounts.findWithSecretPasskey(normalizeUsername(input.username.trim()));
    const passkey = user?.credentials[0];
    // Attempts are capped per account, whatever address they come from: failures are counted in
    // the database under the account (or the username tried, when none matches, so the answer
    // is the same), apart from sign-in failures, with the login lockout's thresholds.
    const accountKey = `passkey-reset:${LoginLockoutService.accountKey(user?.id, normalizeUsername(input.username.trim()))}`;
    const verdict = await this.lockout.claimKey(accountKey, user?.id ?? null, origin.ip);
    if (!verdict.allowed) throw Errors.accountLocked(verdict.lock.retryAfterSeconds);
    let verified: boolean;
    try {
      verified = user && passkey
        ? await this.credentials.verify(input.secretPasskey, passkey.hash)
        : await this.credentials.dummyVerify(input.secretPasskey);
    } catch (error) {
      await this.lockout.release(verdict.attempt);
      throw error;
    }
    if (!user || !passkey || !verified) {
      // The claim stays as the failure.
      await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId: user?.id ?? null, origin, metadata: { method: "SECRET_PASSKEY" } });
      await this.lockout.reportFailure(verdict, origin, input.username.trim());
      throw Errors.invalidCredentials();
    }
    await this.lockout.release(verdict.attempt);
    // As with login: only a caller who holds the secret learns that the account is disabled.
    if (this.accounts.isDisabled(user)) throw Errors.accountDisabled(user.disabledUntil);

    const hash = await this.credentials.prepareNewPassword(user.id, input.newPassword, { username: user.username, email: user.email });
    await this.prisma.$transaction(async (tx) => {
      await this.credentials.storeNewPassword(tx, user.id, hash);
      const revokedSessions = await this.sessions.revokeAllForUser(tx, user.id, "PASSWORD_RESET");
      // A reset link still in a mailbox must not undo this one.
      await this.tokens.revokeAll(tx, user.id, "PASSWORD_RESET");
      await this.audit.record(
        { type: AuditEventType.PASSWORD_RESET, userId: user.id, origin, metadata: { method: "SECRET_PASSKEY", revokedSessions } },
        tx,
      );
    });
  }
}
