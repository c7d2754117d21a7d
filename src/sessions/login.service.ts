import type { PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { AccountService } from "../accounts/account.service";
import type { CredentialService } from "../credentials/credential.service";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import type { AuthPayloadData, SessionService } from "./session.service";

export interface LoginInputData {
  identifier: string;
  password: string;
  expiresInMinutes?: number | null;
}

export interface LoginPolicy {
  defaultAccessTtlMs: number;
  maxAccessTtlMs: number;
}

/** Password sign-in: one generic failure for unknown user, wrong password and deleted account. */
export class LoginService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly accounts: AccountService,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: LoginPolicy,
  ) {}

  /** The access-token lifetime in seconds the caller asked for, within 1..maximum minutes. */
  accessLifetimeSeconds(expiresInMinutes: number | null | undefined): number {
    const maxMinutes = Math.floor(this.policy.maxAccessTtlMs / 60_000);
    if (expiresInMinutes === null || expiresInMinutes === undefined) return Math.floor(this.policy.defaultAccessTtlMs / 1000);
    if (!Number.isInteger(expiresInMinutes) || expiresInMinutes < 1 || expiresInMinutes > maxMinutes) {
      throw Errors.badInput("expiresInMinutes", `expiresInMinutes must be from 1 to ${maxMinutes}`);
    }
    return expiresInMinutes * 60;
  }

  async login(input: LoginInputData, origin: AuditOrigin): Promise<AuthPayloadData> {
    const lifetimeSeconds = this.accessLifetimeSeconds(input.expiresInMinutes);
    const user = await this.accounts.findForSignIn(input.identifier);
    const credential = user?.credentials[0];
    // The identifier tried goes to the audit trail (capped); the password never does.
    const identifier = input.identifier.trim().slice(0, 254);
    if (!user || !credential) {
      await this.credentials.dummyVerify(input.password);
      await this.audit.record({ type: AuditEventType.LOGIN_FAILED, origin, metadata: { reason: "UNKNOWN_ACCOUNT", identifier } });
      throw Errors.invalidCredentials();
    }
    if (!(await this.credentials.verify(input.password, credential.hash))) {
      await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId: user.id, origin, metadata: { reason: "WRONG_PASSWORD", identifier } });
      throw Errors.invalidCredentials();
    }
    // Only a caller who knows the password learns that the account is disabled.
    if (user.disabled) {
      await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId: user.id, origin, metadata: { reason: "ACCOUNT_DISABLED", identifier } });
      throw Errors.accountDisabled();
    }

    if (this.credentials.needsRehash(credential.hash)) {
      await this.credentials.replaceHash(credential.id, await this.credentials.hash(input.password));
      await this.audit.record({ type: AuditEventType.PASSWORD_REHASHED, userId: user.id, origin });
    }

    const now = this.clock.now();
    const { issued, signedIn } = await this.prisma.$transaction(async (tx) => {
      const issued = await this.sessions.start(tx, { userId: user.id, ip: origin.ip, userAgent: origin.userAgent });
      const signedIn = await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
      await this.audit.record(
        { type: AuditEventType.LOGIN_SUCCEEDED, userId: user.id, origin, metadata: { sessionId: issued.session.id } },
        tx,
      );
      return { issued, signedIn };
    });
    return this.sessions.authPayload(signedIn, issued, lifetimeSeconds);
  }
}
