import { Prisma, type PrismaClient, type User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { isDisabledAt, type EmailVerificationIssuer, assertValidEmail, normalizeEmail, normalizeUsername, type NewUserRow, LAST_SIGN_IN_METHOD, type SignInMethods, assertAddressProven, proveEmail, usernameCandidates } from "../accounts";
import type { ProviderIdentity } from "./provider-identity";
import { baseUsername } from "./username-from-identity";
import type { OAuthAccountStore } from "./oauth-account.store";
import { uniqueViolation } from "../db/unique-violation";

/** What provider sign-in needs of the accounts' User table (accounts' store, passed in). */
export interface OAuthUsers {
  /** The live account holding this address verified, or null. */
  findVerifiedOwner(emailNormalized: string): Promise<User | null>;
  /** Whether any account holds this address verified. */
  hasVerifiedHolder(emailNormalized: string): Promise<boolean>;
  /** The account's address (the user must exist). */
  addressOf(db: Prisma.TransactionClient, userId: string): Promise<Pick<User, "email" | "emailVerified">>;
  /** The account (it must exist). */
  findById(db: Prisma.TransactionClient, userId: string): Promise<User>;
  /** Which of these normalized usernames accounts already hold. */
  takenUsernames(normalized: string[]): Promise<Set<string>>;
  /** A new account with its empty profile, inside the caller's transaction. */
  insert(tx: Prisma.TransactionClient, row: NewUserRow): Promise<User>;
  /** Locks the live account's row for the rest of the transaction. */
  lock(tx: Prisma.TransactionClient, userId: string): Promise<unknown>;
}

/** A provider sign-in that would join an account whose ways in predate its address's proof. */
export const OAUTH_LINK_REQUIRED = "OAUTH_LINK_REQUIRED";

const MAX_PROFILE_NAME = 100;

function validEmail(email: string | null): string | null {
  if (!email) return null;
  try {
    return assertValidEmail(email);
  } catch {
    return null;
  }
}

/**
 * Provider accounts (OAuthAccount rows) and the users they belong to: which user an identity
 * signs in as, linking, unlinking. An identity is linked to an existing user by e-mail only when
 * both the provider and Latchkey have verified that address.
 */
export class OAuthAccountService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: OAuthAccountStore,
    private readonly users: OAuthUsers,
    private readonly waysIn: SignInMethods,
    private readonly audit: AuditService,
    private readonly emailVerification: EmailVerificationIssuer,
    private readonly clock: Clock,
  ) {}

  private findLinked(provider: string, subject: string) {
    return this.store.findLinked(provider, subject);
  }

  /**
   * The user this identity signs in as: the one linked to it; else the user whose verified
   * e-mail the provider also vouches for (linked now, unless disabled), when every way into that
   * account was made after its address was proven; else a new user. The caller refuses deleted
   * and disabled users.
   */
  async resolveForSignIn(provider: string, identity: ProviderIdentity, origin: AuditOrigin): Promise<User> {
    const linked = await this.findLinked(provider, identity.subject);
    if (linked) return linked.user;
    if (identity.email && identity.emailVerified) {
      const owner = await this.users.findVerifiedOwner(normalizeEmail(identity.email));
      if (owner) {
        // A password, passkey or link from before the proof may be a stranger's (pre-account
        // takeover): joining the owner's provider identity to it would let them in too.
        if (await this.waysIn.hasWaysInFromBeforeProof(this.prisma, owner.id, owner.emailVerifiedAt)) {
          throw Errors.forbidden(
            "An account already uses this e-mail address: sign in to it another way, then link this provider from there",
            { reason: OAUTH_LINK_REQUIRED },
          );
        }
        if (!isDisabledAt(owner, this.clock.now())) await this.addLink(owner.id, provider, identity, origin, "VERIFIED_EMAIL");
        return owner;
      }
    }
    return this.createUser(provider, identity, origin);
  }

  /** Links an identity to a signed-in user; linking the same identity again changes nothing. */
  /** Refuses a link while the account's address is unverified (checked before the flow is spent). */
  async assertMayLink(userId: string): Promise<void> {
    assertAddressProven(await this.users.addressOf(this.prisma, userId), "link a sign-in provider");
  }

  async linkToUser(userId: string, provider: { id: string; name: string }, identity: ProviderIdentity, origin: AuditOrigin): Promise<User> {
    const linked = await this.findLinked(provider.id, identity.subject);
    if (linked && linked.userId !== userId) {
      throw Errors.conflict("provider", `That ${provider.name} account is already linked to another user`);
    }
    if (!linked) await this.addLink(userId, provider.id, identity, origin, "SIGNED_IN", provider.name);
    return this.users.findById(this.prisma, userId);
  }

  private async addLink(
    userId: string,
    provider: string,
    identity: ProviderIdentity,
    origin: AuditOrigin,
    via: "VERIFIED_EMAIL" | "SIGNED_IN",
    providerName = provider,
  ): Promise<void> {
    try {
      await this.prisma.$transaction(async (tx) => {
        await this.store.create(tx, { userId, provider, providerSubject: identity.subject, email: identity.email, createdAt: this.clock.now() });
        await this.audit.record({ type: AuditEventType.OAUTH_ACCOUNT_LINKED, userId, origin, metadata: { provider, via } }, tx);
      });
    } catch (error) {
      const target = uniqueViolation(error);
      if (target === undefined) throw error;
      // The same identity linked by a racing request: the link exists, as asked.
      if (target.includes("providerSubject")) {
        const linked = await this.findLinked(provider, identity.subject);
        if (linked?.userId === userId) return;
        throw Errors.conflict("provider", `That ${providerName} account is already linked to another user`);
      }
      throw Errors.conflict("provider", `This account is already linked to another ${providerName} account; unlink it first`);
    }
  }

  /**
   * A new account for an identity nobody has: no password, username from the identity (made
   * unique), profile name and picture from its claims, the e-mail when no account holds it.
   */
  private async createUser(provider: string, identity: ProviderIdentity, origin: AuditOrigin): Promise<User> {
    let email = validEmail(identity.email);
    // A verified holder keeps the address; an unverified claim by another account does not stop
    // this one (and ends here when the provider vouches for the address).
    if (email && (await this.users.hasVerifiedHolder(normalizeEmail(email)))) {
      email = null;
    }
    for (let attempt = 0; ; attempt++) {
      const username = await this.freeUsername(baseUsername(identity));
      try {
        return await this.insertUser(provider, identity, username, email, origin);
      } catch (error) {
        const target = uniqueViolation(error);
        if (target === undefined || attempt >= 3) throw error;
        // A racing first sign-in of the same identity may have made the account (its commit is
        // what we collided with): use it. Otherwise another account took the name or address.
        const linked = await this.findLinked(provider, identity.subject);
        if (linked) return linked.user;
        if (target.includes("email")) email = null;
      }
    }
  }

  private async insertUser(provider: string, identity: ProviderIdentity, username: string, email: string | null, origin: AuditOrigin): Promise<User> {
    const now = this.clock.now();
    const emailVerified = email !== null && identity.emailVerified;
    return this.prisma.$transaction(async (tx) => {
      const user = await this.users.insert(tx, {
        username,
        email,
        emailVerified,
        externalAvatarUrl: identity.pictureUrl,
        profileName: identity.name?.slice(0, MAX_PROFILE_NAME) ?? null,
        now,
      });
      await this.store.create(tx, { userId: user.id, provider, providerSubject: identity.subject, email: identity.email, createdAt: now });
      await this.audit.record({ type: AuditEventType.REGISTERED, userId: user.id, origin, metadata: { method: "OAUTH", provider } }, tx);
      await this.audit.record({ type: AuditEventType.OAUTH_ACCOUNT_LINKED, userId: user.id, origin, metadata: { provider, via: "SIGN_UP" } }, tx);
      // An address the provider vouched for is proven: other accounts' claims on it end. One it
      // did not vouch for gets the usual verification link.
      if (email && emailVerified) await proveEmail(tx, this.audit, { userId: user.id, emailNormalized: normalizeEmail(email), now });
      if (email && !emailVerified) await this.emailVerification.issue(tx, user);
      return user;
    });
  }

  private async freeUsername(base: string): Promise<string> {
    const candidates = usernameCandidates(base);
    const taken = await this.users.takenUsernames(candidates.map(normalizeUsername));
    return candidates.find((name) => !taken.has(normalizeUsername(name))) ?? usernameCandidates(base).at(-1)!;
  }

  /**
   * Removes the link to a provider, unless it is the account's last way to sign in: no
   * password, no passkey and no other link to a provider that is still configured.
   */
  async unlink(userId: string, provider: string, configuredProviders: ReadonlySet<string>, origin: AuditOrigin): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      // Two unlinks at once must not both see the other link and remove both.
      await this.users.lock(tx, userId);
      const target = await this.store.findForUser(tx, userId, provider);
      if (!target) throw Errors.notFound("No account at that provider is linked");
      if ((await this.waysIn.remaining(tx, userId, configuredProviders, { oauthAccountId: target.id })) === 0) {
        throw Errors.forbidden(
          "This is the account's only way to sign in: set a password (password reset), add a passkey or link another provider first",
          { reason: LAST_SIGN_IN_METHOD },
        );
      }
      await this.store.delete(tx, target.id);
      await this.audit.record({ type: AuditEventType.OAUTH_ACCOUNT_UNLINKED, userId, origin, metadata: { provider } }, tx);
      return this.users.findById(tx, userId);
    });
  }
}
