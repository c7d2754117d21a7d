import type { Faker } from "@faker-js/faker";
import type { PrismaClient, User } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import { assertValidEmail, assertValidUsername, normalizeEmail, normalizeUsername } from "./identity-rules";
import { cleanProfileFields, type ProfileFields } from "./profile-rules";
import { createFaker, fakeProfile } from "./fake-profile";
import { lockLiveUser } from "./user-lock";

/** What updateProfile may change; undefined leaves a field as it is, null clears it. */
export interface ProfileUpdate extends ProfileFields {
  username?: string | null;
  email?: string | null;
}

/**
 * Called inside the update transaction, after the user row is written, when the account got a
 * new e-mail address (not when the address was removed or only changed letter case). The
 * address is already stored unverified; the hook is where a verification mail is queued
 * (written to the outbox in the same transaction, so it exists exactly when the change does).
 */
export type EmailChangedHook = (tx: Prisma.TransactionClient, user: User) => Promise<void>;

export interface ProfileServiceOptions {
  onEmailChanged?: EmailChangedHook;
  /** Source of fake details; seed it for repeatable output. */
  faker?: Faker;
}

/** Profile rules: username, e-mail and the profile fields of one's own account. */
export class ProfileService {
  private readonly faker: Faker;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: ProfileServiceOptions = {},
  ) {
    this.faker = options.faker ?? createFaker();
  }

  async update(userId: string, input: ProfileUpdate, origin: AuditOrigin, auditMetadata: Record<string, unknown> = {}): Promise<User> {
    const now = this.clock.now();
    const username = this.cleanUsername(input.username);
    const email = this.cleanEmail(input.email);
    const profile = cleanProfileFields(input, now);
    if (username !== undefined || email) await this.assertAvailable(userId, username, email ?? undefined);

    try {
      return await this.prisma.$transaction(async (tx) => {
        const current = await lockLiveUser(tx, userId);
        const data: Prisma.UserUpdateInput = {};
        const fields: string[] = [];
        if (username !== undefined && username !== current.username) {
          Object.assign(data, { username, usernameNormalized: normalizeUsername(username) });
          fields.push("username");
        }
        const newEmailNormalized = email ? normalizeEmail(email) : null;
        const emailChanged = email !== undefined && newEmailNormalized !== current.emailNormalized;
        if (email !== undefined && email !== current.email) {
          Object.assign(data, { email, emailNormalized: newEmailNormalized });
          // A different address is unproven until verified; a change of letter case is not.
          if (emailChanged) Object.assign(data, { emailVerified: false, emailVerifiedAt: null });
          fields.push("email");
        }
        const profileFields = Object.keys(profile);
        fields.push(...profileFields);
        if (fields.length === 0) return tx.user.findUniqueOrThrow({ where: { id: userId } });

        const user = await tx.user.update({ where: { id: userId }, data: { ...data, updatedAt: now } });
        if (profileFields.length > 0) {
          await tx.profile.upsert({
            where: { userId },
            create: { userId, ...profile, updatedAt: now },
            update: { ...profile, updatedAt: now },
          });
        }
        await this.audit.record(
          {
            type: AuditEventType.PROFILE_UPDATED,
            userId,
            origin,
            // Field names only: the values are personal data.
            metadata: { fields, ...(fields.includes("username") ? { previousUsername: current.username } : {}), ...auditMetadata },
          },
          tx,
        );
        if (emailChanged && user.email) await this.options.onEmailChanged?.(tx, user);
        return user;
      });
    } catch (error) {
      // Another account took the name or address between the check and the write.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        throw JSON.stringify(error.meta ?? {}).includes("email")
          ? Errors.conflict("email", "That e-mail address is already registered")
          : Errors.conflict("username", "That username is taken");
      }
      throw error;
    }
  }

  /** Fills every profile field with realistic, coherent fake details (demos, test data). */
  generateFake(userId: string, origin: AuditOrigin): Promise<User> {
    const { firstName: _first, lastName: _last, ...fields } = fakeProfile(this.faker, this.clock.now());
    return this.update(userId, fields, origin, { generated: true });
  }

  private cleanUsername(value: string | null | undefined): string | undefined {
    if (value === undefined) return undefined;
    if (value === null) throw Errors.badInput("username", "Username cannot be removed");
    const username = value.trim();
    assertValidUsername(username);
    return username;
  }

  /** undefined: unchanged; null: remove the address; else the new address. */
  private cleanEmail(value: string | null | undefined): string | null | undefined {
    if (value === undefined) return undefined;
    const email = value?.trim() || null;
    if (email) assertValidEmail(email);
    return email;
  }

  private async assertAvailable(userId: string, username: string | undefined, email: string | undefined): Promise<void> {
    const wanted = [
      ...(username ? [{ usernameNormalized: normalizeUsername(username) }] : []),
      ...(email ? [{ emailNormalized: normalizeEmail(email) }] : []),
    ];
    const taken = await this.prisma.user.findFirst({
      where: { id: { not: userId }, OR: wanted },
      select: { usernameNormalized: true },
    });
    if (!taken) return;
    if (username && taken.usernameNormalized === normalizeUsername(username)) {
      throw Errors.conflict("username", "That username is taken");
    }
    throw Errors.conflict("email", "That e-mail address is already registered");
  }
}
