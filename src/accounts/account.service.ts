import type { PrismaClient, Role, User } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { CredentialService } from "../credentials/credential.service";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import { assertValidEmail, assertValidUsername, identifierKind, normalizeEmail, normalizeUsername } from "./identity-rules";
import { insertUserRow } from "./user-rows";
import { USER_COLUMNS } from "./user-columns.sql";

export interface RegisterInputData {
  username: string;
  password: string;
  secretPasskey: string;
  email?: string | null;
}

/** Sends the verification link for a new address, inside the caller's transaction (recovery/). */
export interface EmailVerificationIssuer {
  issue(tx: Prisma.TransactionClient, user: Pick<User, "id" | "username" | "email">): Promise<void>;
}

export type UserWithPassword = User & { credentials: { id: string; hash: string }[] };

/** The user row matching a sign-in identifier (username, e-mail or id), as a WHERE condition on `u`. */
export function signInMatch(identifier: string): Prisma.Sql {
  const value = identifier.trim();
  const kind = identifierKind(value);
  return kind === "email"
    ? emailSignInMatch(normalizeEmail(value))
    : kind === "id"
      ? Prisma.sql`u.id = ${value.toLowerCase()}`
      : Prisma.sql`u."usernameNormalized" = ${normalizeUsername(value)}`;
}

/**
 * The account an e-mail address names for sign-in: its verified holder; else, when the address
 * is only claimed, the one account that claims it. Two accounts claiming one unverified address
 * make it name neither (sign in by username): the address proves nothing about which one is meant.
 */
export function emailSignInMatch(emailNormalized: string): Prisma.Sql {
  return Prisma.sql`(u."emailNormalized" = ${emailNormalized} AND (u."emailVerified" OR NOT EXISTS (
    SELECT 1 FROM "User" other
    WHERE other."emailNormalized" = ${emailNormalized} AND other.id <> u.id AND other."deletedAt" IS NULL)))`;
}

/** Joins the current password credential of `u` as `c` (none for a passkey-only account). */
export const PASSWORD_JOIN = Prisma.sql`LEFT JOIN LATERAL (
    SELECT id, hash FROM "Credential" WHERE "userId" = u.id AND kind = 'PASSWORD' AND "isCurrent" LIMIT 1
  ) c ON true`;
export const PASSWORD_COLUMNS = Prisma.sql`c.id AS "credentialId", c.hash AS "credentialHash"`;
export type UserWithPasswordRow = User & { credentialId: string | null; credentialHash: string | null };

export function userWithPassword(row: UserWithPasswordRow): UserWithPassword {
  const { credentialId, credentialHash, ...user } = row;
  return { ...(user as User), credentials: credentialId && credentialHash ? [{ id: credentialId, hash: credentialHash }] : [] };
}

/** Accounts: sign-up and the user records every other feature reads. */
export class AccountService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly credentials: CredentialService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly emailVerification: EmailVerificationIssuer,
  ) {}

  /** `role` is for the operator's bootstrap admin only; sign-ups through the API are USERs. */
  async register(input: RegisterInputData, origin: AuditOrigin, options: { role?: Role } = {}): Promise<User> {
    const username = input.username.trim();
    assertValidUsername(username);
    const email = input.email?.trim() ? assertValidEmail(input.email) : null;
    this.credentials.assertPasswordPolicy(input.password, { username, email });
    this.credentials.assertSecretPasskey(input.secretPasskey, { password: input.password, username, email });
    await this.assertAvailable(username, email);

    const [passwordHash, passkeyHash] = await Promise.all([
      this.credentials.hash(input.password),
      this.credentials.hash(input.secretPasskey),
    ]);
    const now = this.clock.now();
    try {
      return await this.prisma.$transaction(async (tx) => {
        const user = await insertUserRow(tx, { username, email, role: options.role, now });
        await this.credentials.createInitial(tx, user.id, { password: passwordHash, secretPasskey: passkeyHash });
        await this.audit.record(
          { type: AuditEventType.REGISTERED, userId: user.id, origin, metadata: options.role ? { role: options.role } : undefined },
          tx,
        );
        if (email) await this.emailVerification.issue(tx, user);
        return user;
      });
    } catch (error) {
      // Two sign-ups racing for one name: the unique index decides, the loser gets CONFLICT.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        const target = JSON.stringify(error.meta ?? {});
        throw target.includes("email")
          ? Errors.conflict("email", "That e-mail address is already registered")
          : Errors.conflict("username", "That username is taken");
      }
      throw error;
    }
  }

  private async assertAvailable(username: string, email: string | null): Promise<void> {
    const taken = await this.prisma.user.findFirst({
      where: {
        OR: [
          { usernameNormalized: normalizeUsername(username) },
          // An address another account only claims (unverified) does not stop its owner.
          ...(email ? [{ emailNormalized: normalizeEmail(email), emailVerified: true }] : []),
        ],
      },
      select: { usernameNormalized: true },
    });
    if (!taken) return;
    if (taken.usernameNormalized === normalizeUsername(username)) throw Errors.conflict("username", "That username is taken");
    throw Errors.conflict("email", "That e-mail address is already registered");
  }

  /** A live (not deleted) account by username, e-mail or id, with its current password hash. */
  async findForSignIn(identifier: string): Promise<UserWithPassword | null> {
    // One round trip for the user and the current password hash: every sign-in starts here.
    const rows = await this.prisma.$queryRaw<Array<UserWithPasswordRow>>`
      SELECT ${USER_COLUMNS}, ${PASSWORD_COLUMNS}
      FROM "User" u ${PASSWORD_JOIN}
      WHERE ${signInMatch(identifier)} AND u."deletedAt" IS NULL
      LIMIT 1`;
    return rows.length === 0 ? null : userWithPassword(rows[0]);
  }

  findById(id: string): Promise<User | null> {
    return this.prisma.user.findFirst({ where: { id, deletedAt: null } });
  }

  // Look-ups of the reset flows (recovery/).

  /**
   * Up to two live accounts with this address, its verified holder first, then by id: the
   * verified holder, or the one account claiming it, is who a reset link may go to.
   */
  liveHoldersOfEmail(emailNormalized: string): Promise<Array<Pick<User, "id" | "username" | "email" | "emailVerified" | "emailVerifiedAt" | "disabled">>> {
    return this.prisma.user.findMany({
      where: { emailNormalized, deletedAt: null },
      select: { id: true, username: true, email: true, emailVerified: true, emailVerifiedAt: true, disabled: true },
      orderBy: [{ emailVerified: "desc" }, { id: "asc" }],
      take: 2,
    });
  }

  /** A live account by normalized username with its current secret passkey hash, in one statement. */
  findWithSecretPasskey(usernameNormalized: string): Promise<(User & { credentials: Array<{ hash: string }> }) | null> {
    return this.prisma.user.findFirst({
      where: { usernameNormalized, deletedAt: null },
      include: { credentials: { where: { kind: "SECRET_PASSKEY", isCurrent: true }, select: { hash: true }, take: 1 } },
    });
  }
}
