import { proveEmail, isEmailVerifiedByAnother, readUser, replaceEmail, setEmailVerifiedAt, setPendingEmail, parseEmailAddress, type EmailAddress, lockLiveUser } from "../accounts";
import { Prisma, type PrismaClient, type User } from "../generated/prisma/client";
import { AppError, Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { MailTemplates, Outbox } from "../mail";
import type { OneTimeTokenService } from "./one-time-token.service";
import type { EmailChangeStore } from "./email-change.store";
import { emailChangeLink } from "./links";
import { uniqueViolation } from "../db/unique-violation";

type Limit = { max: number; windowMs: number } | null;

export interface EmailChangePolicy {
  /** The app the mailed links open (APP_URL). */
  appUrl: string;
  /** How long a confirmation link works (as long as a verification link). */
  ttlMs: number;
  /** Changes one account may ask for per window (RATE_LIMIT_EMAIL_CHANGE): beyond, RATE_LIMITED. */
  perAccount: Limit;
  /** Confirmation mails one address receives per window, across accounts (RATE_LIMIT_EMAIL_CHANGE_RECIPIENT). */
  perRecipient: Limit;
}

const invalidToken = (message: string): AppError => Errors.badInput("token", message);

/**
 * Changing the e-mail address of an account: the new address becomes the account's only when
 * the link mailed to it is followed (the mailbox proves itself). Until then it is
 * `pendingEmail`, and the current address keeps receiving sign-in, reset and notices; it is
 * told of the request at once (security notices, on EMAIL_CHANGE_REQUESTED).
 */
export class EmailChangeService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: EmailChangeStore,
    private readonly tokens: OneTimeTokenService,
    private readonly outbox: Outbox,
    private readonly templates: MailTemplates,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: EmailChangePolicy,
  ) {}

  /**
   * Records the request inside the caller's transaction (the profile update, which has locked
   * the user row, so one account's requests are counted one after the other): pendingEmail, a
   * confirmation link to the new address, the audit event (and with it the notice to the
   * current address). Over the per-account limit: RATE_LIMITED, and the caller's transaction
   * changes nothing. Over the per-recipient cap the request stands but no mail is sent: an
   * error would tell the caller that other accounts have been mailing that address.
   */
  async request(
    tx: Prisma.TransactionClient,
    user: Pick<User, "id" | "username">,
    address: EmailAddress,
    origin: AuditOrigin,
    actorId?: string | null,
  ): Promise<void> {
    const now = this.clock.now();
    const { perAccount, perRecipient } = this.policy;
    if (perAccount) {
      const recent = await this.store.recentRequestTimes(tx, user.id, new Date(now.getTime() - perAccount.windowMs), perAccount.max);
      if (recent.length >= perAccount.max) {
        const freeing = recent[recent.length - 1].getTime() + perAccount.windowMs;
        throw Errors.rateLimited(Math.max(1, Math.ceil((freeing - now.getTime()) / 1000)));
      }
    }
    let mailed = true;
    if (perRecipient) {
      // Requests of different accounts for one address are counted one after the other.
      await this.store.lockRecipient(tx, address.normalized);
      const sent = await this.store.mailedTo(tx, address.normalized, new Date(now.getTime() - perRecipient.windowMs));
      mailed = sent < perRecipient.max;
    }
    await this.store.insert(tx, { userId: user.id, emailNormalized: address.normalized, mailed, createdAt: now });
    await setPendingEmail(tx, user.id, address.address, now);
    if (mailed) {
      // Only the newest link works: issuing retires the earlier ones.
      const token = await this.tokens.issue(tx, { userId: user.id, purpose: "EMAIL_CHANGE", subject: address.address, ttlMs: this.policy.ttlMs });
      const link = emailChangeLink(this.policy.appUrl, token);
      await this.outbox.queue(tx, { to: address.address, ...this.templates.emailChange({ username: user.username, link, validForMs: this.policy.ttlMs }) });
    } else {
      await this.tokens.revokeAll(tx, user.id, "EMAIL_CHANGE");
    }
    await this.audit.record(
      { type: AuditEventType.EMAIL_CHANGE_REQUESTED, userId: user.id, origin, ...(actorId === undefined ? {} : { actorId }), metadata: { mailed } },
      tx,
    );
  }

  /** Drops a pending change (and its link), inside the caller's transaction. */
  async cancel(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    await setPendingEmail(tx, userId, null);
    await this.tokens.revokeAll(tx, userId, "EMAIL_CHANGE");
  }

  /**
   * Makes the pending address the account's verified address. CONFLICT when another account
   * has meanwhile proved that address; an unverified claim on it by another account does not
   * survive this proof of the mailbox (that account loses the address).
   */
  async confirm(token: string, origin: AuditOrigin): Promise<User> {
    const { state, row } = await this.tokens.find(token, "EMAIL_CHANGE");
    if (state === "unknown") throw invalidToken("This confirmation link is not valid");
    if (state === "used") throw invalidToken("This confirmation link has already been used");
    if (state === "expired") throw invalidToken("This confirmation link has expired; change the address again for a new one");
    const address = row!.subject ? parseEmailAddress(row!.subject) : null;
    if (!address) throw invalidToken("This confirmation link is not valid");
    const userId = row!.userId;
    const now = this.clock.now();

    try {
      return await this.prisma.$transaction(async (tx) => {
        await lockLiveUser(tx, userId).catch(() => {
          throw invalidToken("This confirmation link is not valid");
        });
        const user = await readUser(tx, userId);
        // Only while the account still asks for the address the link was sent to.
        if (!user.pendingEmail || parseEmailAddress(user.pendingEmail)?.normalized !== address.normalized) {
          throw invalidToken("This confirmation link is for an address the account no longer asks for");
        }
        if (await isEmailVerifiedByAnother(tx, address.normalized, userId)) throw Errors.conflict("email", "That e-mail address is already registered");
        if (!(await this.tokens.consume(tx, row!.id))) throw invalidToken("This confirmation link has already been used");
        await replaceEmail(tx, userId, address, now);
        // The link proved the mailbox: the address is verified, and other accounts' unverified
        // claims on it are dropped (the same rule as a verification link).
        await proveEmail(tx, this.audit, { userId, emailNormalized: address.normalized, now });
        if (user.emailVerified && user.emailVerifiedAt) {
          // The account's first proof of a mailbox stands: the ways in made after it were made by
          // the mailbox's owner, and a later reset must not take them away.
          await setEmailVerifiedAt(tx, userId, user.emailVerifiedAt);
        }
        const updated = await readUser(tx, userId);
        // Links sent to the previous address die with it.
        await this.tokens.revokeAll(tx, userId, "EMAIL_CHANGE");
        await this.tokens.revokeAll(tx, userId, "EMAIL_VERIFICATION");
        await this.tokens.revokeAll(tx, userId, "PASSWORD_RESET");
        await this.audit.record({ type: AuditEventType.EMAIL_CHANGED, userId, origin }, tx);
        return updated;
      });
    } catch (error) {
      if (uniqueViolation(error) !== undefined) {
        throw Errors.conflict("email", "That e-mail address is already registered");
      }
      throw error;
    }
  }
}
