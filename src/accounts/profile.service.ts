import type { Faker } from "@faker-js/faker";
import type { Prisma, PrismaClient, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { assertValidUsername, normalizeUsername } from "./identity-rules";
import { canonicalEmail, type EmailAddress } from "./email-address";
import { cleanProfileFields, type ProfileFields } from "./profile-rules";
import { createFaker, fakeProfile } from "./fake-profile";
import { lockLiveUser } from "./user-lock";
import { proveEmail } from "./email-claims";
import { setEmailVerifiedAt, type IdentityChange, type UserStore } from "./user.store";
import { identityConflict } from "./account.service";
import { onDuplicateKey } from "../db/unique-violation";

/** What updateProfile may change; undefined leaves a field as it is, null clears it. */
export interface ProfileUpdate extends ProfileFields {
  username?: string | null;
  email?: string | null;
}

/**
 * The e-mail change flow (recovery/email-change.service.ts), called inside the update
 * transaction after the user row is locked: a new address is only requested (pendingEmail and
 * a confirmation link); it replaces the current one when the link is followed.
 */
export interface EmailChangeFlow {
  request(tx: Prisma.TransactionClient, user: { id: string; username: string }, address: EmailAddress, origin: AuditOrigin): Promise<void>;
  cancel(tx: Prisma.TransactionClient, userId: string): Promise<void>;
}

export interface ProfileServiceOptions {
  emailChange?: EmailChangeFlow;
  /** Source of fake details; seed it for repeatable output. */
  faker?: Faker;
}

/** Profile rules: username, e-mail and the profile fields of one's own account. */
export class ProfileService {
  private readonly faker: Faker;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly users: UserStore,
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
    if (username !== undefined || email) await this.assertAvailable(userId, username, email?.normalized);

    // Another account may take the name or address between the check and the write: CONFLICT.
    return onDuplicateKey(
      () =>
        this.prisma.$transaction(async (tx) => {
        const current = await lockLiveUser(tx, userId);
        const data: IdentityChange = {};
        const fields: string[] = [];
        if (username !== undefined && username !== current.username) {
          Object.assign(data, { username, usernameNormalized: normalizeUsername(username) });
          fields.push("username");
        }
        if (email === null) {
          // A verified address is the account's way back in (reset, notices): a caller holding
          // only a session cannot take it away. It can be replaced through a confirmed change.
          if (current.email && current.emailVerified) {
            throw Errors.badInput("email", "A verified e-mail address can be replaced but not removed");
          }
          if (current.email) {
            Object.assign(data, { email: null, emailNormalized: null, emailVerified: false, emailVerifiedAt: null });
            fields.push("email");
          }
          await this.options.emailChange?.cancel(tx, userId);
        } else if (email) {
          if (email.normalized === current.emailNormalized) {
            // The current address (perhaps in other letter case): nothing to prove; a pending change is dropped.
            if (email.address !== current.email) {
              Object.assign(data, { email: email.address });
              fields.push("email");
            }
            await this.options.emailChange?.cancel(tx, userId);
          } else {
            if (!this.options.emailChange) throw new Error("ProfileService: no e-mail change flow configured");
            await this.options.emailChange.request(tx, current, email, origin);
          }
        }
        const profileFields = Object.keys(profile);
        fields.push(...profileFields);
        if (fields.length === 0) return this.users.findById(tx, userId);

        const user = await this.users.updateIdentity(tx, userId, data, now);
        if (profileFields.length > 0) await this.users.saveProfile(tx, userId, profile, now);
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
        return user;
        }),
      identityConflict,
    );
  }

  /**
   * An ADMIN changes an account (updateUser): username, address, its verified flag and the
   * profile, with the rules of updateProfile. The admin's address replaces the current one at
   * once, with no confirmation round (a pending change is dropped); it is verified only when
   * `emailVerified` says so (an ADMIN vouching for it), else unverified until a link mailed to it
   * is followed. Audited as PROFILE_UPDATED with the ADMIN as actor. NOT_FOUND for an unknown or
   * deleted account; CONFLICT for a username or verified address another account holds.
   */
  async adminUpdate(userId: string, input: ProfileUpdate & { emailVerified?: boolean | null }, actor: { actorId: string | null; origin: AuditOrigin }): Promise<User> {
    const now = this.clock.now();
    const username = this.cleanUsername(input.username);
    const email = this.cleanEmail(input.email);
    const profile = cleanProfileFields(input, now);
    const wantVerified = input.emailVerified ?? undefined;
    if (username !== undefined || email) {
      await this.assertAvailable(userId, username, wantVerified ? email?.normalized : undefined);
    }
    return onDuplicateKey(
      () =>
        this.prisma.$transaction(async (tx) => {
          const current = await this.users.lock(tx, userId);
          if (!current || current.deletedAt) throw Errors.notFound("No such user");
          const data: IdentityChange & { pendingEmail?: null } = {};
          const fields: string[] = [];
          if (username !== undefined && username !== current.username) {
            Object.assign(data, { username, usernameNormalized: normalizeUsername(username) });
            fields.push("username");
          }
          let address = current.email;
          let addressNormalized = current.emailNormalized;
          let verified = current.emailVerified;
          if (email === null && current.email) {
            Object.assign(data, { email: null, emailNormalized: null, emailVerified: false, emailVerifiedAt: null });
            [address, addressNormalized, verified] = [null, null, false];
            fields.push("email");
          } else if (email && email.normalized !== current.emailNormalized) {
            // A new address: unverified unless the ADMIN says otherwise below.
            Object.assign(data, { email: email.address, emailNormalized: email.normalized, emailVerified: false, emailVerifiedAt: null });
            [address, addressNormalized, verified] = [email.address, email.normalized, false];
            fields.push("email");
          } else if (email && email.address !== current.email) {
            Object.assign(data, { email: email.address });
            fields.push("email");
          }
          if (email !== undefined && (current.pendingEmail || fields.includes("email"))) {
            data.pendingEmail = null;
            await this.options.emailChange?.cancel(tx, userId);
          }
          let prove = false;
          if (wantVerified !== undefined && wantVerified !== verified) {
            if (wantVerified && !address) throw Errors.badInput("emailVerified", "The account has no e-mail address to mark verified");
            if (wantVerified) prove = true;
            else Object.assign(data, { emailVerified: false, emailVerifiedAt: null });
            fields.push("emailVerified");
          }
          const profileFields = Object.keys(profile);
          fields.push(...profileFields);
          if (fields.length === 0) return this.users.findById(tx, userId);

          if (data.email !== undefined && data.emailNormalized !== undefined) {
            // Before the row changes: the notice of this event goes to the address being replaced (when verified).
            await this.audit.record({ type: AuditEventType.EMAIL_CHANGED, userId, actorId: actor.actorId, origin: actor.origin, metadata: { by: "ADMIN" } }, tx);
          }
          await this.users.updateIdentity(tx, userId, data, now);
          // The ADMIN vouches for the mailbox: as a followed link would, it drops other accounts' claims.
          if (prove && !(await proveEmail(tx, this.audit, { userId, emailNormalized: addressNormalized!, now }))) {
            throw Errors.notFound("No such user");
          }
          if (prove && current.emailVerified && current.emailVerifiedAt) {
            // As with a confirmed change: the account's first proof of a mailbox stands, so a later
            // reset does not take away the ways in its owner made since.
            await setEmailVerifiedAt(tx, userId, current.emailVerifiedAt);
          }
          if (profileFields.length > 0) await this.users.saveProfile(tx, userId, profile, now);
          await this.audit.record(
            {
              type: AuditEventType.PROFILE_UPDATED,
              userId,
              actorId: actor.actorId,
              origin: actor.origin,
              metadata: { fields, by: "ADMIN", ...(fields.includes("username") ? { previousUsername: current.username } : {}) },
            },
            tx,
          );
          return this.users.findById(tx, userId);
        }),
      identityConflict,
    );
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
  private cleanEmail(value: string | null | undefined): EmailAddress | null | undefined {
    if (value === undefined) return undefined;
    if (value === null || !value.trim()) return null;
    return canonicalEmail(value);
  }

  /** `email` in its comparison form. */
  private async assertAvailable(userId: string, username: string | undefined, email: string | undefined): Promise<void> {
    // An unverified address is a claim: it does not block a change to it (confirming the
    // change takes it over, recovery/email-change.service.ts).
    const taken = await this.users.findTaken({
      usernameNormalized: username ? normalizeUsername(username) : undefined,
      verifiedEmailNormalized: email,
      exceptUserId: userId,
    });
    if (!taken) return;
    if (username && taken.usernameNormalized === normalizeUsername(username)) {
      throw Errors.conflict("username", "That username is taken");
    }
    throw Errors.conflict("email", "That e-mail address is already registered");
  }
}
