import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { randomToken, sha256 } from "../common/tokens";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import type { CredentialService } from "../credentials/credential.service";
import type { SessionService } from "../sessions/session.service";
import { normalizeEmail } from "../accounts/identity-rules";
import type { Outbox } from "../mail/outbox";
import { passwordResetMail } from "../mail/templates";
import type { OneTimeTokens } from "./one-time-tokens";
import { passwordResetLink } from "./links";

export interface PasswordResetPolicy {
  publicUrl: string;
  ttlMs: number;
  /** true: only verified addresses receive reset links. */
  requireVerifiedEmail: boolean;
}

// No stored address is longer; such input cannot match an account.
const MAX_EMAIL_LENGTH = 254;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** Password reset by e-mailed link: a single-use token, stored hashed, valid 30 minutes. */
export class PasswordResetService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: OneTimeTokens,
    private readonly outbox: Outbox,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly policy: PasswordResetPolicy,
  ) {}

  /**
   * Queues a reset link when the address belongs to a live account. The answer never says
   * which: both paths do one lookup and one transaction, and neither waits for SMTP (the
   * mail goes through the outbox).
   */
  async request(email: string): Promise<void> {
    const normalized = normalizeEmail(email);
    const user =
      normalized.length > 0 && normalized.length <= MAX_EMAIL_LENGTH
        ? await this.prisma.user.findFirst({
            where: { emailNormalized: normalized, deletedAt: null },
            select: { id: true, username: true, email: true, emailVerified: true, disabled: true },
          })
        : null;
    const eligible = user && user.email && !user.disabled && (user.emailVerified || !this.policy.requireVerifiedEmail);

    await this.prisma.$transaction(async (tx) => {
      // Losing this commit in a crash costs the user one more request; skipping the WAL flush
      // keeps the commit of the path that writes as fast as the one of the path that does not.
      await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
      if (!eligible) return this.decoy(tx);
      const token = await this.tokens.issue(tx, {
        userId: user.id,
        purpose: "PASSWORD_RESET",
        subject: normalized,
        ttlMs: this.policy.ttlMs,
      });
      const link = passwordResetLink(this.policy.publicUrl, token);
      await this.outbox.queue(tx, { to: user.email!, ...passwordResetMail({ username: user.username, link, validForMs: this.policy.ttlMs }) });
    });
  }

  /**
   * For an address without an account: as many statements, of the same kinds and on the same
   * indexes, as issuing a link (delete old tokens, insert token, insert mail), changing nothing.
   */
  private async decoy(tx: Prisma.TransactionClient): Promise<void> {
    await tx.oneTimeToken.deleteMany({ where: { userId: NIL_UUID, purpose: "PASSWORD_RESET", usedAt: null } });
    await tx.oneTimeToken.findUnique({ where: { tokenHash: sha256(randomToken()) }, select: { id: true } });
    await tx.outboxMail.findUnique({ where: { id: NIL_UUID }, select: { id: true } });
  }

  /** Sets a new password with a reset token; every session of the account ends. */
  async reset(token: string, newPassword: string, origin: AuditOrigin): Promise<void> {
    const { state, row } = await this.tokens.find(token, "PASSWORD_RESET");
    if (state === "used") throw Errors.badInput("token", "This password-reset link has already been used");
    if (state === "expired") throw Errors.badInput("token", "This password-reset link has expired; ask for a new one");
    const user = row ? await this.prisma.user.findFirst({ where: { id: row.userId, deletedAt: null } }) : null;
    // A link sent to an address the account no longer has is dead too.
    if (!row || !user || !user.emailNormalized || user.emailNormalized !== row.subject) {
      throw Errors.badInput("token", "This password-reset link is not valid");
    }

    // Policy and history first: a rejected password leaves the link usable for another try.
    const hash = await this.credentials.prepareNewPassword(user.id, newPassword, { username: user.username, email: user.email });
    await this.prisma.$transaction(async (tx) => {
      if (!(await this.tokens.consume(tx, row.id))) throw Errors.badInput("token", "This password-reset link has already been used");
      await this.credentials.storeNewPassword(tx, user.id, hash);
      await this.tokens.revokeAll(tx, user.id, "PASSWORD_RESET");
      const revokedSessions = await this.sessions.revokeAllForUser(tx, user.id, "PASSWORD_RESET");
      await this.audit.record(
        { type: AuditEventType.PASSWORD_RESET, userId: user.id, origin, metadata: { method: "EMAIL_LINK", revokedSessions } },
        tx,
      );
    });
  }
}
