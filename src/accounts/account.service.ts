import type { Prisma, PrismaClient, Role, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { CredentialService } from "../credentials";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { onDuplicateKey } from "../db/unique-violation";
import { assertValidEmail, assertValidUsername, normalizeEmail, normalizeUsername } from "./identity-rules";
import type { UserStore, UserWithPassword } from "./user.store";
import { isDisabledAt } from "./account-ban";
import { proveEmail } from "./email-claims";
import { readUser } from "./user.store";

export interface RegisterInputData {
  username: string;
  password: string;
  secretPasskey: string;
  email?: string | null;
  /** The token of an organization invitation link the person signs up from. */
  invitationToken?: string | null;
}

/**
 * Sign-up from an organization invitation link (organizations/, built after accounts): the
 * invited address of a usable token (else BAD_USER_INPUT on invitationToken), and joining it
 * in the sign-up's transaction.
 */
export interface InvitationSignUp {
  invitedAddress(tx: Prisma.TransactionClient, token: string): Promise<string>;
  join(tx: Prisma.TransactionClient, user: User, token: string, origin: AuditOrigin): Promise<void>;
}

/** Sends the verification link for a new address, inside the caller's transaction (recovery/). */
export interface EmailVerificationIssuer {
  issue(tx: Prisma.TransactionClient, user: Pick<User, "id" | "username" | "email">): Promise<void>;
}

/** Accounts: sign-up and the user records every other feature reads. */
export class AccountService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly users: UserStore,
    private readonly credentials: CredentialService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly emailVerification: EmailVerificationIssuer,
    private readonly invitations?: InvitationSignUp,
  ) {}

  /**
   * `role` is for the operator's bootstrap admin only; sign-ups through the API are USERs.
   * `finish` runs last in the sign-up's transaction with the account as created (register's
   * signIn starts its session there): when it throws, no account is made.
   */
  async register(
    input: RegisterInputData,
    origin: AuditOrigin,
    options: { role?: Role; finish?: (tx: Prisma.TransactionClient, user: User) => Promise<void> } = {},
  ): Promise<User> {
    const username = input.username.trim();
    assertValidUsername(username);
    const email = input.email?.trim() ? assertValidEmail(input.email) : null;
    const invitationToken = input.invitationToken ?? null;
    if (invitationToken !== null && (!email || !this.invitations)) {
      throw Errors.badInput("invitationToken", "Signing up from an invitation needs the invited e-mail address");
    }
    this.credentials.assertPasswordPolicy(input.password, { username, email });
    this.credentials.assertSecretPasskey(input.secretPasskey, { password: input.password, username, email });
    await this.assertAvailable(username, email);

    const [passwordHash, passkeyHash] = await Promise.all([
      this.credentials.hash(input.password),
      this.credentials.hash(input.secretPasskey),
    ]);
    const now = this.clock.now();
    // Two sign-ups racing for one name: the unique index decides, the loser gets CONFLICT.
    return onDuplicateKey(
      () =>
        this.prisma.$transaction(async (tx) => {
          const user = await this.users.insert(tx, { username, email, role: options.role, now });
          await this.credentials.createInitial(tx, user.id, { password: passwordHash, secretPasskey: passkeyHash });
          await this.audit.record(
            { type: AuditEventType.REGISTERED, userId: user.id, origin, metadata: options.role ? { role: options.role } : undefined },
            tx,
          );
          if (invitationToken !== null && email) {
            // The link proved the mailbox: the address is verified at once, and the account joins.
            const invited = await this.invitations!.invitedAddress(tx, invitationToken);
            if (invited !== normalizeEmail(email)) throw Errors.badInput("invitationToken", "This invitation was sent to another e-mail address");
            await proveEmail(tx, this.audit, { userId: user.id, emailNormalized: invited, now });
            const verified = await readUser(tx, user.id);
            await this.invitations!.join(tx, verified, invitationToken, origin);
            await options.finish?.(tx, verified);
            return verified;
          }
          if (email) await this.emailVerification.issue(tx, user);
          await options.finish?.(tx, user);
          return user;
        }),
      identityConflict,
    );
  }

  /**
   * An account an ADMIN creates (createUser): the sign-up rules for the username, the address
   * and the password, no secret passkey. Without a password the account has none until its
   * owner follows the set-password link `withoutPassword` mails in the same transaction (that
   * needs an address); with one, an address gets the usual verification link. The address counts
   * as unverified either way until a link mailed to it is followed. Audited as REGISTERED with
   * the ADMIN as actor.
   */
  async createByAdmin(
    input: { username: string; email?: string | null; password?: string | null; role?: Role | null },
    actor: { actorId: string | null; origin: AuditOrigin },
    withoutPassword: (tx: Prisma.TransactionClient, user: User) => Promise<void>,
  ): Promise<User> {
    const username = input.username.trim();
    assertValidUsername(username);
    const email = input.email?.trim() ? assertValidEmail(input.email) : null;
    const password = input.password ? input.password : null;
    if (!password && !email) {
      throw Errors.badInput("password", "Give a password, or an e-mail address for the set-password link");
    }
    if (password) this.credentials.assertPasswordPolicy(password, { username, email });
    await this.assertAvailable(username, email);
    const passwordHash = password ? await this.credentials.hash(password) : null;
    const role = input.role ?? "USER";
    const now = this.clock.now();
    return onDuplicateKey(
      () =>
        this.prisma.$transaction(async (tx) => {
          const user = await this.users.insert(tx, { username, email, role, now });
          if (passwordHash) await this.credentials.storeNewPassword(tx, user.id, passwordHash);
          await this.audit.record(
            {
              type: AuditEventType.REGISTERED,
              userId: user.id,
              actorId: actor.actorId,
              origin: actor.origin,
              metadata: { method: "ADMIN", role, password: passwordHash !== null },
            },
            tx,
          );
          if (!passwordHash) await withoutPassword(tx, user);
          else if (email) await this.emailVerification.issue(tx, user);
          return user;
        }),
      identityConflict,
    );
  }

  private async assertAvailable(username: string, email: string | null): Promise<void> {
    // An address another account only claims (unverified) does not stop its owner.
    const taken = await this.users.findTaken({
      usernameNormalized: normalizeUsername(username),
      verifiedEmailNormalized: email ? normalizeEmail(email) : undefined,
    });
    if (!taken) return;
    if (taken.usernameNormalized === normalizeUsername(username)) throw Errors.conflict("username", "That username is taken");
    throw Errors.conflict("email", "That e-mail address is already registered");
  }

  /** A live (not deleted) account by username, e-mail or id, with its current password hash. */
  findForSignIn(identifier: string): Promise<UserWithPassword | null> {
    return this.users.findForSignIn(identifier);
  }

  /** Whether the account is disabled now: a timed ban past its end no longer counts (isDisabledAt). */
  isDisabled(user: Pick<User, "disabled" | "disabledUntil">): boolean {
    return isDisabledAt(user, this.clock.now());
  }

  findById(id: string): Promise<User | null> {
    return this.users.findLive(id);
  }

  // Look-ups of the reset flows (recovery/).

  /**
   * Up to two live accounts with this address, its verified holder first, then by id: the
   * verified holder, or the one account claiming it, is who a reset link may go to.
   */
  liveHoldersOfEmail(emailNormalized: string) {
    return this.users.liveHoldersOfEmail(emailNormalized);
  }

  /** A live account by normalized username with its current secret passkey hash, in one statement. */
  findWithSecretPasskey(usernameNormalized: string) {
    return this.users.findWithSecretPasskey(usernameNormalized);
  }
}

/** The CONFLICT a duplicate username or verified address becomes, on the field that is taken. */
export function identityConflict(target: string): Error {
  return target.includes("email")
    ? Errors.conflict("email", "That e-mail address is already registered")
    : Errors.conflict("username", "That username is taken");
}
