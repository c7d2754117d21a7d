import { KeyedHash } from "../common/keyed-hash";
import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import type { Logger } from "../logger";
import type { AuditService } from "../audit";
import type { AccountService, SignInMethods } from "../accounts";
import type { SignInService } from "../sign-in";
import type { ReauthenticationService } from "../sessions";
import type { Metrics } from "../metrics";
import { PasskeyChallengeService } from "./passkey-challenge.service";
import { PasskeyChallengeStore } from "./passkey-challenge.store";
import type { PasskeyStore } from "./passkey.store";
import { PasskeyRegistrationService, type ReadAddress } from "./passkey-registration.service";
import { PasskeyAuthenticationService } from "./passkey-authentication.service";
import { PasskeyManagementService, type LockUser, type PasskeySessions } from "./passkey-management.service";

export interface PasskeysDependencies {
  prisma: PrismaClient;
  config: Pick<Config, "appSecret" | "webauthn" | "oauthProviders">;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  accounts: AccountService;
  login: SignInService;
  metrics: Metrics;
  sessions: PasskeySessions;
  reauthentication: ReauthenticationService;
  /** The passkeys' store: built by the composition, which also hands it to the ways-in count. */
  store: PasskeyStore;
  /** The account's ways in, to keep the last one. */
  waysIn: SignInMethods;
  /** Accounts' row lock, taken before counting the ways in that remain. */
  lockUser: LockUser;
  /** Accounts' read of the address, inside the transaction that adds a passkey. */
  readAddress: ReadAddress;
}

/** Wires passkeys: the challenge store, challenge handling, the two ceremonies and management. */
export function createPasskeys(deps: PasskeysDependencies) {
  const challenges = new PasskeyChallengeService(new PasskeyChallengeStore(deps.prisma), deps.clock);
  const store = deps.store;
  const rp = deps.config.webauthn;
  // Its own key, derived from APP_SECRET, for the made-up credential ids of unknown accounts.
  const decoyKey = new KeyedHash(deps.config.appSecret, "passkey-decoys");
  return {
    store,
    challenges,
    registration: new PasskeyRegistrationService(deps.prisma, store, challenges, deps.audit, deps.clock, rp, deps.logger, deps.readAddress),
    authentication: new PasskeyAuthenticationService(
      store, challenges, deps.accounts, deps.login, deps.audit, deps.metrics, deps.clock, rp, decoyKey, deps.logger, deps.reauthentication,
    ),
    management: new PasskeyManagementService(
      deps.prisma, store, deps.sessions, deps.audit, new Set(deps.config.oauthProviders.map((provider) => provider.id)), deps.waysIn, deps.lockUser,
    ),
  };
}

export type Passkeys = ReturnType<typeof createPasskeys>;
