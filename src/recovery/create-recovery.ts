import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import type { AuditService } from "../audit";
import type { LoginLockoutService } from "../limits";
import type { MailTemplates, Outbox } from "../mail";
import type { CredentialService } from "../credentials";
import type { AccountService, SignInMethods } from "../accounts";
import type { SessionService } from "../sessions";
import type { RateLimit } from "../config";
import { OneTimeTokenStore } from "./one-time-token.store";
import { OneTimeTokenService } from "./one-time-token.service";
import { EmailChangeStore } from "./email-change.store";
import { EmailVerificationService } from "./email-verification.service";
import { EmailChangeService } from "./email-change.service";
import { PasswordResetService } from "./password-reset.service";
import { PasskeyResetService } from "./passkey-reset.service";

/** What the e-mail verification flow needs; accounts (register) and oauth issue links through it. */
export interface EmailVerificationDependencies {
  prisma: PrismaClient;
  config: Config;
  clock: Clock;
  audit: AuditService;
  outbox: Outbox;
  /** The mail templates read at start. */
  templates: MailTemplates;
}

/**
 * The one-time tokens and the e-mail verification flow. Built before the rest of recovery:
 * accounts and oauth issue verification links when they create or link an account, and the
 * other flows need accounts.
 */
export function createEmailVerification(deps: EmailVerificationDependencies) {
  const tokenStore = new OneTimeTokenStore(deps.prisma);
  const tokens = new OneTimeTokenService(tokenStore, deps.clock);
  const emailVerification = new EmailVerificationService(deps.prisma, tokens, deps.outbox, deps.templates, deps.audit, deps.clock, {
    appUrl: deps.config.appUrl,
    ttlMs: deps.config.emailVerificationTtlMs,
  });
  return { tokenStore, tokens, emailVerification };
}

export type EmailVerification = ReturnType<typeof createEmailVerification>;

export interface RecoveryDependencies extends EmailVerificationDependencies {
  /** What createEmailVerification built. */
  verification: EmailVerification;
  accounts: AccountService;
  credentials: CredentialService;
  sessions: SessionService;
  lockout: LoginLockoutService;
  /** The account's ways in besides the password, which a reset by e-mail reports and prunes. */
  waysIn: SignInMethods;
  /** Every rate limit, defaults filled in: e-mail change counts its own in the database. */
  rateLimits: Record<string, RateLimit | null>;
}

/** Password reset by link and by secret passkey, and e-mail change confirmation. */
export function createRecovery(deps: RecoveryDependencies) {
  const { prisma, config, clock, audit, outbox, templates } = deps;
  const { tokenStore, tokens, emailVerification } = deps.verification;
  const passwordReset = new PasswordResetService(prisma, deps.accounts, tokens, tokenStore, outbox, templates, deps.credentials, deps.sessions, audit, clock, {
    appUrl: config.appUrl,
    ttlMs: config.passwordResetTtlMs,
    requireVerifiedEmail: config.resetRequiresVerifiedEmail,
    providerNames: new Map(config.oauthProviders.map((provider) => [provider.id, provider.name])),
  }, deps.waysIn);
  const passkeyReset = new PasskeyResetService(prisma, deps.accounts, tokens, deps.credentials, deps.sessions, audit, deps.lockout);
  // A new e-mail address replaces the current one only once the link sent to it is followed.
  const emailChange = new EmailChangeService(prisma, new EmailChangeStore(), tokens, outbox, templates, audit, clock, {
    appUrl: config.appUrl,
    ttlMs: config.emailVerificationTtlMs,
    perAccount: deps.rateLimits.EMAIL_CHANGE ?? null,
    perRecipient: deps.rateLimits.EMAIL_CHANGE_RECIPIENT ?? null,
  });
  return { emailVerification, passwordReset, passkeyReset, emailChange };
}
