import type { Prisma, PrismaClient, TwoFactorMethod, User } from "../generated/prisma/client";
import { AppError, Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { randomToken, safeEqual, sha256 } from "../common/tokens";
import { uniqueViolation } from "../db/unique-violation";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { assertValidEmail, normalizeEmail, normalizeUsername, proveEmail, type AccountService, type NewUserRow, type SignInMethods, usernameCandidates } from "../accounts";
import type { MailTemplates, Outbox } from "../mail";
import type { RateLimit } from "../config";
import type { AuthPayloadData, SignInService, TwoFactorChallengeData, TwoFactorChallengeService } from "../sign-in";
import type { MagicLinkStore } from "./magic-link.store";
import { magicLinkUrl } from "./magic-link-url";
import { baseUsername } from "./username-from-address";

export interface MagicLinkPolicy {
  /** PUBLIC_URL: the mailed link opens this server's /magic-link page. */
  publicUrl: string;
  /** Where the app goes after sign-in when the request named no redirectUri (APP_URL). */
  appUrl: string;
  /** The origins a redirectUri may point to: PUBLIC_URL's, APP_URL's and CORS_ORIGINS. */
  allowedOrigins: ReadonlySet<string>;
  ttlMs: number;
  /** MAGIC_LINK_SIGNUP: a link for an address no account holds creates the account. */
  signup: boolean;
  /** Links one address may receive per window, whoever asks (RATE_LIMIT_MAGIC_LINK_RECIPIENT); beyond, none is mailed. */
  perRecipient: RateLimit | null;
}

/** What sign-up by link needs of the accounts' User table (accounts' store, passed in by the composition). */
export interface MagicLinkUsers {
  /** Which of these normalized usernames accounts already hold. */
  takenUsernames(normalized: string[]): Promise<Set<string>>;
  /** A new account with its empty profile, inside the caller's transaction. */
  insert(tx: Prisma.TransactionClient, row: NewUserRow): Promise<User>;
}

/** mfa's answer to "is the second factor on" (mfa sits beside this feature; the composition passes it in). */
export interface MagicLinkTwoFactor {
  enabledMethod(userId: string): Promise<TwoFactorMethod | null>;
}

/** Who asked, as far as binding goes: the hash of the browser's nonce, or null for a caller that is no browser. */
export interface MagicLinkRequest {
  email: string;
  redirectUri?: string | null;
  bindingHash: string | null;
}

export type MagicLinkSignInResult = { result: AuthPayloadData | TwoFactorChallengeData; redirectUri: string };

/** The reason a link bound to one browser and opened in another is refused with. */
export const MAGIC_LINK_OTHER_BROWSER = "MAGIC_LINK_OTHER_BROWSER";

// No stored address is longer; such input cannot match an account.
const MAX_EMAIL_LENGTH = 254;
const MAX_REDIRECT_LENGTH = 2048;
// Never a user's id: the lookups of an address without an account find nothing.
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

const invalidLink = (message: string): AppError => Errors.badInput("token", message);

/**
 * Sign-in by e-mailed link. requestMagicLink answers the same, in the same time, for every
 * address: the link goes to the account holding the address verified (or, with MAGIC_LINK_SIGNUP,
 * to an address no account holds, as a sign-up); both paths run statements of the same kinds and
 * mail through the outbox. The link is single use, lives MAGIC_LINK_TTL, and when a browser asked
 * it is bound to that browser's lk_magic cookie. Following it completes the sign-in through
 * SignInService (two-factor authentication still applies), spending the link in the same
 * transaction.
 */
export class MagicLinkService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: MagicLinkStore,
    private readonly accounts: AccountService,
    private readonly users: MagicLinkUsers,
    private readonly signIn: SignInService,
    private readonly challenges: TwoFactorChallengeService,
    private readonly twoFactor: MagicLinkTwoFactor,
    private readonly outbox: Outbox,
    private readonly templates: MailTemplates,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: MagicLinkPolicy,
    private readonly waysIn: Pick<SignInMethods, "hasWaysInFromBeforeProof">,
  ) {}

  /** The redirectUri as stored: an absolute http(s) URL on an allowed origin; BAD_USER_INPUT otherwise. */
  checkRedirectUri(redirectUri: string | null | undefined): string | null {
    if (redirectUri === null || redirectUri === undefined || redirectUri === "") return null;
    let url: URL;
    try {
      url = new URL(redirectUri);
    } catch {
      throw Errors.badInput("redirectUri", "redirectUri must be an absolute URL");
    }
    if (redirectUri.length > MAX_REDIRECT_LENGTH || !this.policy.allowedOrigins.has(url.origin) || url.username || url.password) {
      throw Errors.badInput("redirectUri", "redirectUri must be on PUBLIC_URL, APP_URL or one of CORS_ORIGINS");
    }
    return url.href;
  }

  /** Queues a sign-in link when the address may have one; says nothing about which. */
  async request(input: MagicLinkRequest, origin: AuditOrigin): Promise<void> {
    const redirectUri = this.checkRedirectUri(input.redirectUri);
    const address = input.email.trim();
    if (address.length > MAX_EMAIL_LENGTH) throw Errors.badInput("email", `email must be at most ${MAX_EMAIL_LENGTH} characters`);
    // The form of the address says nothing about accounts: a malformed one is the caller's mistake.
    const email = assertValidEmail(address);
    const normalized = normalizeEmail(email);
    const holders = await this.accounts.liveHoldersOfEmail(normalized);
    // The verified holder; else the one account claiming the address, only while it has no way
    // in at all (an account an ADMIN made without a password): any other unverified claim may be
    // someone else's sign-up with this address, and its password would outlive the link.
    const holder = holders[0]?.emailVerified || holders.length === 1 ? holders[0] : undefined;
    // Asked for every address, known or not, so that both take the same time.
    const hasOtherWays = await this.waysIn.hasWaysInFromBeforeProof(this.prisma, holder?.id ?? NIL_UUID, holder?.emailVerifiedAt ?? null);
    const eligible = holder && (holder.emailVerified || !hasOtherWays) && !this.accounts.isDisabled(holder);
    const user = eligible ? holder : undefined;
    const signUp = holders.length === 0 && this.policy.signup;
    const now = this.clock.now();
    const { perRecipient } = this.policy;

    await this.prisma.$transaction(async (tx) => {
      await this.store.commitWithoutFlush(tx);
      // Counted for every address, known or not: the same statement on both paths.
      const sent = perRecipient ? await this.store.countSince(tx, normalized, new Date(now.getTime() - perRecipient.windowMs)) : 0;
      const withinLimit = !perRecipient || sent < perRecipient.max;
      const mails = (user !== undefined || signUp) && withinLimit;
      // Only a new link retires the earlier ones (requests held back by the limit must not end
      // the owner's pending link); otherwise the same statement on no address.
      await this.store.retireUnused(tx, mails ? normalized : "", now);
      const token = randomToken();
      if (mails) {
        await this.store.insert(tx, {
          tokenHash: sha256(token),
          userId: user?.id ?? null,
          email: normalized,
          bindingHash: input.bindingHash,
          redirectUri,
          expiresAt: new Date(now.getTime() + this.policy.ttlMs),
          createdAt: now,
        });
        const link = magicLinkUrl(this.policy.publicUrl, token);
        await this.outbox.queue(tx, { to: user?.email ?? email, ...this.templates.magicLink({ username: user?.username ?? "there", link, validForMs: this.policy.ttlMs }) });
      } else {
        await this.store.insertDecoy(tx, sha256(token));
        await this.outbox.queueDecoy(tx);
      }
      // Never the address of an unknown account: only what the holder's own activity may show.
      await this.audit.record(
        {
          type: AuditEventType.MAGIC_LINK_REQUESTED,
          userId: user?.id ?? null,
          origin,
          metadata: { mailed: mails, boundToBrowser: input.bindingHash !== null, ...(signUp && mails ? { signUp: true } : {}) },
        },
        tx,
      );
    });
  }

  /**
   * Follows a link: tokens (or a two-factor challenge) for its account, and where the app goes
   * next. `bindingNonce` is the lk_magic cookie of the browser that follows it.
   */
  async signInWith(
    token: string,
    options: { expiresInMinutes?: number | null; cookie: boolean },
    bindingNonce: string | undefined,
    origin: AuditOrigin,
  ): Promise<MagicLinkSignInResult> {
    const lifetimeSeconds = this.signIn.accessLifetimeSeconds(options.expiresInMinutes);
    const link = token.length > 0 && token.length <= 128 ? await this.store.findByHash(sha256(token)) : null;
    if (!link) throw invalidLink("This sign-in link is not valid");
    if (link.usedAt) throw invalidLink("This sign-in link has already been used");
    if (link.expiresAt.getTime() <= this.clock.now().getTime()) throw invalidLink("This sign-in link has expired; ask for a new one");
    // A link a browser asked for works only in that browser: not spent, so the right browser still can.
    if (link.bindingHash !== null && !safeEqual(link.bindingHash, sha256(bindingNonce ?? ""))) {
      await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId: link.userId, origin, metadata: { method: "MAGIC_LINK", reason: "OTHER_BROWSER" } });
      throw Errors.forbidden(
        "This sign-in link works only in the browser that asked for it: open it there, or sign in with an e-mail code instead",
        { reason: MAGIC_LINK_OTHER_BROWSER },
      );
    }
    const redirectUri = link.redirectUri ?? this.policy.appUrl;
    const spend = async (tx: Prisma.TransactionClient) => {
      if (!(await this.store.markUsed(tx, link.id, this.clock.now()))) throw invalidLink("This sign-in link has already been used");
    };

    let user: User;
    if (link.userId === null) {
      if (!this.policy.signup) throw invalidLink("This sign-in link is not valid");
      user = await this.signUp(link.email, spend, origin);
    } else {
      const found = await this.accounts.findById(link.userId);
      // A link sent to an address the account no longer has is dead.
      if (!found || found.emailNormalized !== link.email) throw invalidLink("This sign-in link is not valid");
      // Only the holder of the link learns that the account is disabled.
      if (this.signIn.isDisabled(found)) {
        await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId: found.id, origin, metadata: { method: "MAGIC_LINK", reason: "ACCOUNT_DISABLED" } });
        throw Errors.accountDisabled(found.disabledUntil);
      }
      user = found;
      // An unverified address: only while the account still has no other way in (see request).
      if (!user.emailVerified && (await this.waysIn.hasWaysInFromBeforeProof(this.prisma, user.id, null))) {
        throw invalidLink("This sign-in link is not valid");
      }
      const method = await this.twoFactor.enabledMethod(user.id);
      if (method) {
        // The link is spent now; the second factor completes the sign-in (verifyTwoFactorLogin).
        await this.prisma.$transaction(async (tx) => {
          await spend(tx);
          await this.proveAddress(tx, user);
        });
        const challenge = await this.challenges.issue(user.id, method, { accessTtlSeconds: lifetimeSeconds, cookie: options.cookie, method: "MAGIC_LINK" });
        return { result: challenge, redirectUri };
      }
    }

    const payload = await this.signIn.completeSignIn(
      user.id,
      lifetimeSeconds,
      origin,
      async (tx) => {
        // A new account's link was spent when it was made.
        if (link.userId !== null) {
          await spend(tx);
          await this.proveAddress(tx, user);
        }
        return { method: "MAGIC_LINK" };
      },
      { method: "MAGIC_LINK" },
    );
    return { result: payload, redirectUri };
  }

  /** Following the link proves the mailbox: the address is verified, if it is still the account's. */
  private async proveAddress(tx: Prisma.TransactionClient, user: User): Promise<void> {
    if (user.emailVerified || !user.emailNormalized) return;
    await proveEmail(tx, this.audit, { userId: user.id, emailNormalized: user.emailNormalized, now: this.clock.now() });
  }

  /**
   * A new account for the link's address: a username made from the address, no password (the
   * address is its way in), the address verified. The link is spent in the same transaction.
   */
  private async signUp(email: string, spend: (tx: Prisma.TransactionClient) => Promise<void>, origin: AuditOrigin): Promise<User> {
    for (let attempt = 0; ; attempt++) {
      const candidates = usernameCandidates(baseUsername(email));
      const taken = await this.users.takenUsernames(candidates.map(normalizeUsername));
      const username = candidates.find((name) => !taken.has(normalizeUsername(name))) ?? candidates.at(-1)!;
      try {
        return await this.prisma.$transaction(async (tx) => {
          await spend(tx);
          const now = this.clock.now();
          const created = await this.users.insert(tx, { username, email, now });
          // Proven first: user.created (written with REGISTERED) reports the address verified.
          await proveEmail(tx, this.audit, { userId: created.id, emailNormalized: email, now });
          await this.audit.record({ type: AuditEventType.REGISTERED, userId: created.id, origin, metadata: { method: "MAGIC_LINK" } }, tx);
          return { ...created, emailVerified: true, emailVerifiedAt: now };
        });
      } catch (error) {
        const target = uniqueViolation(error);
        if (target === undefined) throw error;
        // Someone verified the address meanwhile: the link no longer signs anyone up.
        if (target.includes("email") || attempt >= 3) throw Errors.conflict("email", "That e-mail address is already registered: ask for a new sign-in link");
      }
    }
  }
}
