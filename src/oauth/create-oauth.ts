import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import type { Logger } from "../logger";
import { SecretBox } from "../common/secret-box";
import type { AuditService } from "../audit";
import type { EmailVerificationIssuer, SignInMethods } from "../accounts";
import type { SignInService } from "../sign-in";
import type { Metrics } from "../metrics";
import { ProviderRegistry } from "./provider-registry";
import { OAuthFlowStore } from "./oauth-flow.store";
import { OAuthFlowService } from "./oauth-flow.service";
import { OAuthAccountService, type OAuthUsers } from "./oauth-account.service";
import type { OAuthAccountStore } from "./oauth-account.store";
import { OAuthService } from "./oauth.service";

export interface OAuthDependencies {
  prisma: PrismaClient;
  config: Pick<Config, "appSecret" | "oauthProviders">;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  emailVerification: EmailVerificationIssuer;
  login: SignInService;
  metrics: Metrics;
  /** The links' store: built by the composition, which also hands it to the ways-in count. */
  accountStore: OAuthAccountStore;
  /** What provider sign-in reads and writes of accounts. */
  users: OAuthUsers;
  /** The account's ways in, to keep the last one and to refuse joining an account with early ones. */
  waysIn: SignInMethods;
}

/** Wires social sign-in: providers from OIDC_PROVIDERS, the flow and link stores, and the service. */
export function createOAuth(deps: OAuthDependencies): OAuthService {
  const registry = new ProviderRegistry(deps.config.oauthProviders);
  const flows = new OAuthFlowService(new OAuthFlowStore(deps.prisma), new SecretBox(deps.config.appSecret, "oauth-flows"), deps.clock);
  const accounts = new OAuthAccountService(deps.prisma, deps.accountStore, deps.users, deps.waysIn, deps.audit, deps.emailVerification, deps.clock);
  return new OAuthService(registry, flows, accounts, deps.login, deps.audit, deps.metrics, deps.logger);
}
