import path from "node:path";
import type { ServerResponse } from "node:http";
import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import type { AuditService } from "../audit";
import type { LoginLockoutService } from "../limits";
import type { CredentialService, SessionRevoker } from "../credentials";
import { UserStore } from "./user.store";
import { AccountService, type EmailVerificationIssuer, type InvitationSignUp } from "./account.service";
import { ProfileService, type EmailChangeFlow } from "./profile.service";
import { AvatarFiles } from "./avatar-files";
import { AvatarImageStore } from "./avatar-image.store";
import type { AvatarStorage } from "./avatar-storage";
import { DatabaseAvatarStorage } from "./database-avatar-storage";
import { AvatarService } from "./avatar.service";
import { AccountDeletionService, type PersonalDataEraser } from "./account-deletion.service";

export interface AccountsDependencies {
  prisma: PrismaClient;
  config: Pick<Config, "dataDir" | "maxAvatarBytes" | "avatarMaxPixels" | "avatarStorage">;
  clock: Clock;
  audit: AuditService;
  lockout: LoginLockoutService;
  credentials: CredentialService;
  /** recovery/: the link that verifies a new account's address. */
  emailVerification: EmailVerificationIssuer;
  /** recovery/: a new address replaces the current one only once the link sent to it is followed. */
  emailChange: EmailChangeFlow;
  /** sessions/: deleting an account ends its sessions. */
  sessions: SessionRevoker;
  /** What the features above accounts keep about a person, erased with the account. */
  erasers: readonly PersonalDataEraser[];
  /** organizations/: sign-up from an invitation link (register's invitationToken). */
  invitations?: InvitationSignUp;
  /** sessions/: drops the sign-in cookies of a browser whose account is gone. */
  clearSignInCookies: (res: ServerResponse) => void;
}

/** Wires accounts: the User/Profile store, sign-up, profile, avatar and deletion. */
export function createAccounts(deps: AccountsDependencies) {
  const users = new UserStore(deps.prisma);
  const accounts = new AccountService(deps.prisma, users, deps.credentials, deps.audit, deps.clock, deps.emailVerification, deps.invitations);
  const profiles = new ProfileService(deps.prisma, users, deps.audit, deps.clock, { emailChange: deps.emailChange });
  const avatarStorage: AvatarStorage =
    deps.config.avatarStorage === "database"
      ? new DatabaseAvatarStorage(new AvatarImageStore(deps.prisma), deps.clock)
      : new AvatarFiles(path.join(deps.config.dataDir, "avatars"));
  const avatars = new AvatarService(deps.prisma, users, avatarStorage, deps.audit, deps.clock, deps.config.maxAvatarBytes, deps.config.avatarMaxPixels);
  const accountDeletion = new AccountDeletionService(
    deps.prisma,
    users,
    deps.credentials,
    deps.sessions,
    avatars,
    deps.audit,
    deps.clock,
    deps.lockout,
    deps.erasers,
  );
  return { users, accounts, profiles, avatarStorage, avatars, accountDeletion, clearSignInCookies: deps.clearSignInCookies };
}

export type Accounts = ReturnType<typeof createAccounts>;
