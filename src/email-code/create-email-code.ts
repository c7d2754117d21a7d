import { KeyedHash } from "../common/keyed-hash";
import type { PrismaClient } from "../generated/prisma/client";
import type { Config, RateLimit } from "../config";
import type { Clock } from "../common/clock";
import type { AuditService } from "../audit";
import type { AccountService } from "../accounts";
import type { MailTemplates, Outbox } from "../mail";
import type { Metrics } from "../metrics";
import type { SignInService } from "../sign-in";
import { EmailCodeStore } from "./email-code.store";
import { EmailCodeService } from "./email-code.service";

export interface EmailCodeDependencies {
  prisma: PrismaClient;
  config: Pick<Config, "appSecret" | "emailCodeTtlMs">;
  clock: Clock;
  audit: AuditService;
  accounts: AccountService;
  signIn: SignInService;
  metrics: Metrics;
  outbox: Outbox;
  templates: MailTemplates;
  /** Every rate limit, defaults filled in: the per-address limit is counted here, in the database. */
  rateLimits: Record<string, RateLimit | null>;
}

/** Wires sign-in by e-mailed code: the challenge store and the service, with their own keys derived from APP_SECRET. */
export function createEmailCode(deps: EmailCodeDependencies) {
  const store = new EmailCodeStore(deps.prisma);
  const emailCode = new EmailCodeService(
    deps.prisma, store, deps.accounts, deps.signIn, deps.outbox, deps.templates, deps.audit, deps.metrics, deps.clock,
    new KeyedHash(deps.config.appSecret, "email-code-address"),
    new KeyedHash(deps.config.appSecret, "email-code"),
    { ttlMs: deps.config.emailCodeTtlMs, perAddress: deps.rateLimits.EMAIL_CODE_ADDRESS ?? null },
  );
  return { emailCode };
}
