import type { Prisma, PrismaClient, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { CredentialService } from "../credentials";
import type { SessionService } from "../sessions";
import { normalizeEmail, type AccountService, proveEmail, readUser, type SignInMethods } from "../accounts";
import type { MailTemplates, Outbox } from "../mail";
import type { OneTimeTokenService } from "./one-time-token.service";
import type { OneTimeTokenStore } from "./one-time-token.store";
import { passwordResetLink, securityReviewLink } from "./links";
import type { Clock } from "../common/clock";

export interface PasswordResetPolicy {
  /** The app the mailed links open (APP_URL). */
  appUrl: string;
  ttlMs: number;
  /** true: only verified addresses receive reset links. */
  requireVerifiedEmail: boolean;
  /** Provider id to display name, for the reset mail's list of linked providers. */
  providerNames: ReadonlyMap<string, string>;
}

// No stored address is longer; such input cannot match an account.
const MAX_EMAIL_LENGTH = 254;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** Password reset by e-mailed link: a single-use token, stored hashed, valid 30 minutes. */
export class PasswordResetService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly accounts: AccountService,
    private readonly tokens: OneTimeTokenService,
    private readonly tokenStore: OneTimeTokenStore,
    private readonly outbox: Outbox,
    private readonly templates: MailTemplates,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: PasswordResetPolicy,
    private readonly waysIn: SignInMethods,
  ) {}

  /**
   * Queues a reset link when the address belongs to a live account. The answer never says
   * which: both paths do one lookup and one transaction, and neither waits for SMTP (the
   * mail goes through the outbox).
   */
  async request(email: string): Promise<void> {
    const normalized = normalizeEmail(email);
    // The verified holder of the address; else, only when resets to unverified addresses are
    // allowed, the one account claiming it (two claims name neither, as for sign-in by e-mail).
    const holders = normalized.length > 0 && normalized.length <= MAX_EMAIL_LENGTH ? await this.accounts.liveHoldersOfEmail(normalized) : [];
    const user = holders[0]?.emailVerified || holders.length === 1 ? holders[0] : undefined;
    const eligible = user && user.email && !this.accounts.isDisabled(user) && (user.emailVerified || !this.policy.requireVerifiedEmail);

    await this.prisma.$transaction(async (tx) => {
      // Losing this commit in a crash costs the user one more request; skipping the WAL flush
      // keeps the commit of the path that writes as fast as the one of the path that does not.
      await this.tokenStore.commitWithoutFlush(tx);
      if (!eligible) return this.decoy(tx);
      await this.mailLink(tx, { ...user, email: user.email!, emailNormalized: normalized }, this.policy.ttlMs);
    });
  }

  /**
   * Mails a reset link to the account's current address inside the caller's transaction, whether
   * or not the address is verified: for an ADMIN's sendPasswordReset (the ADMIN vouches for the
   * address) and createUser without a password (the link sets the first password). Following
   * the link proves the mailbox, as any reset link does. `ttlMs` defaults to the reset lifetime.
   */
  async mailLinkFor(
    tx: Prisma.TransactionClient,
    user: Pick<User, "id" | "username" | "email" | "emailNormalized" | "emailVerifiedAt">,
    ttlMs: number = this.policy.ttlMs,
  ): Promise<void> {
    if (!user.email || !user.emailNormalized) throw Errors.badInput("userId", "The account has no e-mail address");
    await this.mailLink(tx, { ...user, email: user.email, emailNormalized: user.emailNormalized }, ttlMs);
  }

  private async mailLink(
    tx: Prisma.TransactionClient,
    user: Pick<User, "id" | "username" | "emailVerifiedAt"> & { email: string; emailNormalized: string },
    ttlMs: number,
  ): Promise<void> {
    const token = await this.tokens.issue(tx, {
      userId: user.id,
      purpose: "PASSWORD_RESET",
      subject: user.emailNormalized,
      ttlMs,
    });
    const link = passwordResetLink(this.policy.appUrl, token);
    const ways = await this.waysIn.otherWaysIn(tx, user.id);
    // What the reset will leave in place: ways in made after the address was proven.
    const stays = (createdAt: Date) => user.emailVerifiedAt !== null && createdAt >= user.emailVerifiedAt;
    await this.outbox.queue(tx, {
      to: user.email,
      ...this.templates.passwordReset({
        username: user.username,
        link,
        validForMs: ttlMs,
        reviewLink: securityReviewLink(this.policy.appUrl),
        passkeys: ways.passkeys.filter((p) => stays(p.createdAt)).map((p) => p.name),
        providers: ways.providers.filter((p) => stays(p.createdAt)).map((p) => this.providerName(p.provider)),
        removed: ways.passkeys.some((p) => !stays(p.createdAt)) || ways.providers.some((p) => !stays(p.createdAt)),
      }),
    });
  }

  private providerName(id: string): string {
    return this.policy.providerNames.get(id) ?? id;
  }

  /**
   * For an address without an account: as many statements, of the same kinds and on the same
   * indexes, as issuing a link (delete old tokens, insert token, insert mail), changing nothing.
   */
  private async decoy(tx: Prisma.TransactionClient): Promise<void> {
    await this.tokens.issueDecoy(tx, "PASSWORD_RESET");
    await this.waysIn.otherWaysIn(tx, NIL_UUID);
    await this.outbox.queueDecoy(tx);
  }

  /**
   * Sets a new password with a reset token. Following the link proves the mailbox, so what its
   * owner may not have made goes, in the same transaction: every session (access tokens with
   * them), the passkeys and provider links added before the address was proven, and the secret
   * passkey (the owner sets a new one with setSecretPasskey).
   */
  async reset(token: string, newPassword: string, origin: AuditOrigin): Promise<void> {
    const { state, row } = await this.tokens.find(token, "PASSWORD_RESET");
    if (state === "used") throw Errors.badInput("token", "This password-reset link has already been used");
    if (state === "expired") throw Errors.badInput("token", "This password-reset link has expired; ask for a new one");
    const user = row ? await this.accounts.findById(row.userId) : null;
    // A link sent to an address the account no longer has is dead too.
    if (!row || !user || !user.emailNormalized || user.emailNormalized !== row.subject) {
      throw Errors.badInput("token", "This password-reset link is not valid");
    }

    // Policy and history first: a rejected password leaves the link usable for another try.
    const hash = await this.credentials.prepareNewPassword(user.id, newPassword, { username: user.username, email: user.email });
    await this.prisma.$transaction(async (tx) => {
      if (!(await this.tokens.consume(tx, row.id))) throw Errors.badInput("token", "This password-reset link has already been used");
      await this.credentials.storeNewPassword(tx, user.id, hash);
      // Locked by storeNewPassword: read the proof time as it is now.
      let { emailVerifiedAt } = await readUser(tx, user.id);
      if (!emailVerifiedAt) {
        // Only with RESET_REQUIRES_VERIFIED_EMAIL=false: the link itself proves the mailbox.
        emailVerifiedAt = this.clock.now();
        if (!(await proveEmail(tx, this.audit, { userId: user.id, emailNormalized: row.subject!, now: emailVerifiedAt }))) {
          throw Errors.badInput("token", "This password-reset link is not valid");
        }
      }
      const removed = await this.waysIn.removeAddedBefore(tx, user.id, emailVerifiedAt);
      const secretPasskeyCleared = await this.credentials.clearSecretPasskey(tx, user.id);
      await this.tokens.revokeAll(tx, user.id, "PASSWORD_RESET");
      const revokedSessions = await this.sessions.revokeAllForUser(tx, user.id, "PASSWORD_RESET");
      await this.audit.record(
        {
          type: AuditEventType.PASSWORD_RESET,
          userId: user.id,
          origin,
          metadata: {
            method: "EMAIL_LINK",
            revokedSessions,
            removedPasskeys: removed.passkeys,
            removedProviders: removed.providers,
            twoFactorRemoved: removed.twoFactor,
            secretPasskeyCleared,
          },
        },
        tx,
      );
    });
  }
}
