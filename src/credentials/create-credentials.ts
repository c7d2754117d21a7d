import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import type { AuditService } from "../audit";
import type { LoginLockoutService } from "../limits";
import { PasswordHasher } from "./password-hasher";
import { CredentialStore, type UserRowLock } from "./credential.store";
import { CredentialService } from "./credential.service";
import { PasswordChangeService } from "./password-change.service";
import { SecretPasskeyService } from "./secret-passkey.service";
import type { SessionRevoker } from "./session-revoker";

export interface CredentialsDependencies {
  prisma: PrismaClient;
  config: Pick<Config, "passwordHash" | "bcryptCost">;
  clock: Clock;
  audit: AuditService;
  lockout: LoginLockoutService;
  /** The account row lock (accounts' UserStore.lock): accounts sit above credentials. */
  lockUser: UserRowLock;
  /** Ends the other sessions when a password changes (sessions/ sits above credentials). */
  sessions: SessionRevoker;
}

/** Wires credentials: the hasher, the Credential store, the rules, password change and secret passkey. */
export function createCredentials(deps: CredentialsDependencies) {
  const hasher = new PasswordHasher({ algorithm: deps.config.passwordHash, bcryptCost: deps.config.bcryptCost });
  const store = new CredentialStore(deps.prisma);
  const credentials = new CredentialService(store, hasher, deps.clock, deps.lockUser);
  return {
    hasher,
    store,
    credentials,
    passwordChange: new PasswordChangeService(deps.prisma, credentials, deps.sessions, deps.audit, deps.lockout),
    secretPasskeys: new SecretPasskeyService(deps.prisma, credentials, deps.audit),
  };
}

export type Credentials = ReturnType<typeof createCredentials>;
