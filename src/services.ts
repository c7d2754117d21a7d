import type { Config } from "./config";
import type { Clock } from "./common/clock";
import type { Database } from "./db/database";
import { SecretBox } from "./common/secret-box";
import { PasswordHasher } from "./credentials/password-hasher";
import { CredentialService } from "./credentials/credential.service";
import { AuditService } from "./audit/audit.service";
import { AccountService } from "./accounts/account.service";
import { SigningKeys } from "./sessions/signing-keys";
import { AccessTokens } from "./sessions/access-tokens";
import { SessionService } from "./sessions/session.service";
import { LoginService } from "./sessions/login.service";
import { AuditQueryService } from "./audit/audit-query.service";
import { AuditRetention } from "./audit/audit-retention";
import { AdminService } from "./admin/admin.service";
import { AdminBootstrap } from "./admin/admin-bootstrap";
import { UserSearchService } from "./admin/user-search.service";

/** Wires the feature services together; one instance per server process. */
export function createServices(db: Database, config: Config, clock: Clock) {
  const prisma = db.prisma;
  const hasher = new PasswordHasher({ algorithm: config.passwordHash, bcryptCost: config.bcryptCost });
  const audit = new AuditService(prisma, clock);
  const credentials = new CredentialService(prisma, hasher, clock);
  const accounts = new AccountService(prisma, credentials, audit, clock);
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
  const auditLog = new AuditQueryService(prisma);
  const auditRetention = new AuditRetention(prisma, clock, config.auditRetentionMs);
  const admin = new AdminService(prisma, sessions, audit, clock);
  const adminBootstrap = new AdminBootstrap(prisma, accounts);
  const userSearch = new UserSearchService(prisma);
  return {
    publicUrl: config.publicUrl,
    secureCookies: config.env !== "development",
    prisma, audit, credentials, accounts, signingKeys, accessTokens, sessions, login,
    auditLog, auditRetention, admin, adminBootstrap, userSearch };
}

export type Services = ReturnType<typeof createServices>;
