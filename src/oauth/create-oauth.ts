import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import type { Logger } from "../logger";
import { SecretBox } from "../common/secret-box";
import type { AuditService } from "../audit/audit.service";
import type { EmailVerificationIssuer } from "../accounts/account.service";
import type { SignInService } from "../sign-in/sign-in.service";
import type { Metrics } from "../metrics/metrics";
import { ProviderRegistry } from "./provider-registry";
import { OAuthFlows } from "./oauth-flows";
import { OAuthAccounts } from "./oauth-accounts";
import { OAuthService } from "./oauth.service";

/** Wires social sign-in: providers from OIDC_PROVIDERS, the flow store, accounts and the service. */
export function createOAuth(deps: {
  prisma: PrismaClient;
  config: Config;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  emailVerification: EmailVerificationIssuer;
  login: SignInService;
  metrics: Metrics;
}): OAuthService {
  const registry = new ProviderRegistry(deps.config.oauthProviders);
  const flows = new OAuthFlows(deps.prisma, new SecretBox(deps.config.appSecret, "oauth-flows"), deps.clock);
  const accounts = new OAuthAccounts(deps.prisma, deps.audit, deps.emailVerification, deps.clock);
  return new OAuthService(registry, flows, accounts, deps.login, deps.audit, deps.metrics, deps.logger);
}
