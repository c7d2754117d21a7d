import type { Config } from "./config";
import type { Clock } from "./common/clock";
import type { Database } from "./db/database";
import type { Logger } from "./logger";
import { SecretBox } from "./common/secret-box";
import { PasswordHasher } from "./credentials/password-hasher";
import { CredentialService } from "./credentials/credential.service";
import { AuditService } from "./audit/audit.service";
import { AccountService } from "./accounts/account.service";
import { SigningKeys } from "./sessions/signing-keys";
import { AccessTokens } from "./sessions/access-tokens";
import { SessionService } from "./sessions/session.service";
import { LoginService } from "./sessions/login.service";
import { createMail } from "./mail/create-mail";
import { OneTimeTokens } from "./recovery/one-time-tokens";
import { EmailVerificationService } from "./recovery/email-verification.service";
import { PasswordResetService } from "./recovery/password-reset.service";
import { PasskeyResetService } from "./recovery/passkey-reset.service";

/** Wires the feature services together; one instance per server process. */
export function createServices(db: Database, config: Config, clock: Clock, logger: Logger) {
  const prisma = db.prisma;
  const hasher = new PasswordHasher({ algorithm: config.passwordHash, bcryptCost: config.bcryptCost });
  const audit = new AuditService(prisma, clock);
  const credentials = new CredentialService(prisma, hasher, clock);
  const mail = createMail(prisma, config, clock, logger);
  const oneTimeTokens = new OneTimeTokens(prisma, clock);
  const emailVerification = new EmailVerificationService(prisma, oneTimeTokens, mail.outbox, audit, clock, {
    publicUrl: config.publicUrl,
    ttlMs: config.emailVerificationTtlMs,
  });
  const accounts = new AccountService(prisma, credentials, audit, clock, emailVerification);
  const signingKeys = new SigningKeys(prisma, new SecretBox(config.appSecret, "signing-keys"), clock, config.accessTokenMaxTtlMs);
  const accessTokens = new AccessTokens(signingKeys, clock, config.jwtIssuer, config.jwtAudience);
  const sessions = new SessionService(prisma, accessTokens, clock, {
    refreshTokenTtlMs: config.refreshTokenTtlMs,
    idleTimeoutMs: config.sessionIdleTimeoutMs,
  });
  const login = new LoginService(prisma, accounts, credentials, sessions, audit, clock, {
    defaultAccessTtlMs: config.accessTokenTtlMs,
    maxAccessTtlMs: config.accessTokenMaxTtlMs,
  });
  const passwordReset = new PasswordResetService(prisma, oneTimeTokens, mail.outbox, credentials, sessions, audit, {
    publicUrl: config.publicUrl,
    ttlMs: config.passwordResetTtlMs,
    requireVerifiedEmail: config.resetRequiresVerifiedEmail,
  });
  const passkeyReset = new PasskeyResetService(prisma, oneTimeTokens, credentials, sessions, audit);
  return {
    publicUrl: config.publicUrl,
    secureCookies: config.env !== "development",
    prisma, audit, credentials, accounts, signingKeys, accessTokens, sessions, login,
    outbox: mail.outbox, mailSender: mail.sender, emailVerification, passwordReset, passkeyReset };
}

export type Services = ReturnType<typeof createServices>;
