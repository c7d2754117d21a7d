import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import type { SqlRunner } from "../db/direct-sql";
import type { AuditService } from "../audit";
import type { Metrics } from "../metrics";
import type { LoginLockoutService } from "../limits";
import type { CredentialService } from "../credentials";
import type { SessionService } from "../sessions";
import type { AccountService } from "../accounts";
import { SignInStore } from "./sign-in.store";
import { SignInReader } from "./sign-in-reader";
import { SignInService } from "./sign-in.service";
import { PasswordSignInService } from "./password-sign-in.service";
import { RegistrationService } from "./registration.service";
import { TokenLifetimePolicy } from "./token-lifetime-policy";
import { TwoFactorChallengeStore } from "./two-factor-challenge.store";
import { TwoFactorChallengeService } from "./two-factor-challenge.service";
import type { TwoFactorState } from "./two-factor-state";

export interface SignInDependencies {
  prisma: PrismaClient;
  /** The driver, for the sign-in's statements (see db/direct-sql.ts). */
  sql: SqlRunner;
  config: Pick<Config, "accessTokenTtlMs" | "accessTokenMaxTtlMs">;
  clock: Clock;
  audit: AuditService;
  metrics: Metrics;
  lockout: LoginLockoutService;
  credentials: CredentialService;
  sessions: SessionService;
  /** mfa's answer to "is the second factor on" (a layer above sign-in). */
  twoFactor: TwoFactorState;
  /** accounts/: sign-up, which register's signIn completes with a sign-in. */
  accounts: AccountService;
}

/** Wires sign-in: the token lifetime policy, the shared completion, the password step, the second step's challenges and sign-up (which may sign in). */
export function createSignIn(deps: SignInDependencies) {
  const { prisma, clock, audit, metrics, lockout } = deps;
  const lifetimes = new TokenLifetimePolicy({ defaultAccessTtlMs: deps.config.accessTokenTtlMs, maxAccessTtlMs: deps.config.accessTokenMaxTtlMs });
  const store = new SignInStore(deps.sql, lockout, deps.twoFactor);
  const challenges = new TwoFactorChallengeService(prisma, new TwoFactorChallengeStore(prisma), audit, clock);
  const signIn = new SignInService(prisma, deps.sql, store, deps.sessions, audit, lockout, challenges, deps.twoFactor, lifetimes, metrics, clock);
  const passwordSignIn = new PasswordSignInService(new SignInReader(store, lockout, clock), signIn, deps.credentials, challenges, audit, lockout, metrics);
  const registration = new RegistrationService(deps.accounts, signIn);
  return { signIn, passwordSignIn, challenges, registration };
}
