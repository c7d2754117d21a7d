import { KeyedHash } from "../common/keyed-hash";
import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import type { Logger } from "../logger";
import type { AuditService } from "../audit/audit.service";
import type { AccountService } from "../accounts/account.service";
import type { SignInService } from "../sign-in/sign-in.service";
import type { ReauthenticationService } from "../sessions/reauthentication.service";
import type { SessionService } from "../sessions/session.service";
import type { Metrics } from "../metrics/metrics";
import { PasskeyChallenges } from "./passkey-challenges";
import { PasskeyStore } from "./passkey-store";
import { PasskeyRegistrationService } from "./passkey-registration.service";
import { PasskeyAuthenticationService } from "./passkey-authentication.service";
import { PasskeyManagementService } from "./passkey-management.service";

/** Wires passkeys: challenge storage, the credential store, the two ceremonies and management. */
export function createPasskeys(deps: {
  prisma: PrismaClient;
  config: Config;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  accounts: AccountService;
  login: SignInService;
  metrics: Metrics;
  sessions: SessionService;
  reauthentication: ReauthenticationService;
}) {
  const challenges = new PasskeyChallenges(deps.prisma, deps.clock);
  const store = new PasskeyStore(deps.prisma);
  const rp = deps.config.webauthn;
  // Its own key, derived from APP_SECRET, for the made-up credential ids of unknown accounts.
  const decoyKey = new KeyedHash(deps.config.appSecret, "passkey-decoys");
  return {
    challenges,
    registration: new PasskeyRegistrationService(deps.prisma, store, challenges, deps.audit, deps.clock, rp, deps.logger),
    authentication: new PasskeyAuthenticationService(
      store, challenges, deps.accounts, deps.login, deps.audit, deps.metrics, deps.clock, rp, decoyKey, deps.logger, deps.reauthentication,
    ),
    management: new PasskeyManagementService(
      deps.prisma, store, deps.sessions, deps.audit, new Set(deps.config.oauthProviders.map((provider) => provider.id)),
    ),
  };
}

export type Passkeys = ReturnType<typeof createPasskeys>;
