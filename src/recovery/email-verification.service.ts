import type { Prisma, PrismaClient, User } from "../generated/prisma/client";
import { AppError, Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { normalizeEmail, proveEmail, readUser } from "../accounts";
import type { MailTemplates, Outbox } from "../mail";
import type { OneTimeTokenService } from "./one-time-token.service";
import { emailVerificationLink } from "./links";

export interface EmailVerificationPolicy {
  /** The app the mailed links open (APP_URL). */
  appUrl: string;
  ttlMs: number;
}

const invalidToken = (message: string): AppError => Errors.badInput("token", message);

/**
 * E-mail verification: a single-use link (24 h by default) bound to the address it was sent to,
 * so a link for an old address never verifies a new one.
 */
export class EmailVerificationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: OneTimeTokenService,
    private readonly outbox: Outbox,
    private readonly templates: MailTemplates,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: EmailVerificationPolicy,
  ) {}

  /**
   * Issues a verification link for the user's current address and queues the mail, inside the
   * caller's transaction (register and e-mail changes call this with theirs).
   */
  async issue(tx: Prisma.TransactionClient, user: Pick<User, "id" | "username" | "email">): Promise<void> {
    if (!user.email) return;
    const token = await this.tokens.issue(tx, {
      userId: user.id,
      purpose: "EMAIL_VERIFICATION",
      subject: normalizeEmail(user.email),
      ttlMs: this.policy.ttlMs,
    });
    const link = emailVerificationLink(this.policy.appUrl, token);
    await this.outbox.queue(tx, { to: user.email, ...this.templates.emailVerification({ username: user.username, link, validForMs: this.policy.ttlMs }) });
  }

  /** A new link for the signed-in user's unverified address; the previous link stops working. */
  async request(user: Pick<User, "id" | "username" | "email" | "emailVerified">): Promise<void> {
    if (!user.email) throw Errors.badInput("email", "Your account has no e-mail address to verify");
    if (user.emailVerified) throw Errors.badInput("email", "Your e-mail address is already verified");
    await this.prisma.$transaction((tx) => this.issue(tx, user));
  }

  /** Marks the address the token was issued for as verified and returns the user. */
  async verify(token: string, origin: AuditOrigin): Promise<User> {
    const { state, row } = await this.tokens.find(token, "EMAIL_VERIFICATION");
    if (state === "unknown") throw invalidToken("This verification link is not valid");
    if (state === "used") throw invalidToken("This verification link has already been used");
    if (state === "expired") throw invalidToken("This verification link has expired; ask for a new one");
    const { userId, subject } = row!;

    return this.prisma.$transaction(async (tx) => {
      if (!(await this.tokens.consume(tx, row!.id))) throw invalidToken("This verification link has already been used");
      // Only while the account still has the address the link was sent to; other accounts'
      // unverified claims on it end here.
      const proven = await proveEmail(tx, this.audit, { userId, emailNormalized: subject!, now: this.clock.now() });
      if (!proven) throw invalidToken("This verification link is for an e-mail address the account no longer has");
      await this.audit.record({ type: AuditEventType.EMAIL_VERIFIED, userId, origin }, tx);
      return readUser(tx, userId);
    });
  }
}
