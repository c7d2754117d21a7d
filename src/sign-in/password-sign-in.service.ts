import { Errors } from "../common/app-error";
import type { CredentialService } from "../credentials";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { AuthPayloadData } from "../sessions";
import type { AttemptVerdict, LoginLockoutService } from "../limits";
import type { Metrics } from "../metrics";
import type { SignInReader } from "./sign-in-reader";
import type { SignInService } from "./sign-in.service";
import type { TwoFactorChallengeData, TwoFactorChallengeService } from "./two-factor-challenge.service";

export interface LoginInputData {
  identifier: string;
  password: string;
  expiresInMinutes?: number | null;
  cookie?: boolean | null;
}

/** Password sign-in: one generic failure for unknown user, wrong password and deleted account. */
export class PasswordSignInService {
  constructor(
    private readonly reader: SignInReader,
    private readonly signIn: SignInService,
    private readonly credentials: CredentialService,
    private readonly challenges: TwoFactorChallengeService,
    private readonly audit: AuditService,
    private readonly lockout: LoginLockoutService,
    private readonly metrics: Metrics,
  ) {}

  /** Tokens, or a two-factor challenge when the account has two-factor authentication on. */
  async login(input: LoginInputData, origin: AuditOrigin): Promise<AuthPayloadData | TwoFactorChallengeData> {
    const lifetimeSeconds = this.signIn.accessLifetimeSeconds(input.expiresInMinutes);
    const { user, verdict, twoFactorMethod } = await this.reader.read(input.identifier, origin.ip);
    // While locked, not even the right password gets in; the password is not looked at. The
    // check was claimed on the lockout before the hash, so concurrent guesses cannot outrun it.
    if (!verdict.allowed) {
      this.metrics.logins.inc({ result: "locked" });
      throw Errors.accountLocked(verdict.lock.retryAfterSeconds);
    }
    const attempt = verdict.attempt;
    const credential = user?.credentials[0];
    const verified = user && credential
      ? await this.credentials.verify(input.password, credential.hash)
      : await this.credentials.dummyVerify(input.password);
    if (!user || !credential || !verified) {
      // The claim stays as the failure.
      await this.recordFailure(verdict, user?.id, input.identifier, origin);
      throw Errors.invalidCredentials();
    }
    // The right password: its claim counts for nothing.
    // Only a caller who knows the password learns that the account is disabled.
    if (this.signIn.isDisabled(user)) {
      await this.lockout.release(attempt);
      await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId: user.id, origin, metadata: { reason: "ACCOUNT_DISABLED", identifier: input.identifier.trim().slice(0, 254) } });
      throw Errors.accountDisabled(user.disabledUntil);
    }

    if (this.credentials.needsRehash(credential.hash)) {
      await this.credentials.replaceHash(credential.id, await this.credentials.hash(input.password));
      await this.audit.record({ type: AuditEventType.PASSWORD_REHASHED, userId: user.id, origin });
    }

    if (twoFactorMethod) {
      this.metrics.logins.inc({ result: "challenge" });
      const [challenge] = await Promise.all([
        this.challenges.issue(user.id, twoFactorMethod, { accessTtlSeconds: lifetimeSeconds, cookie: input.cookie === true, method: "PASSWORD" }),
        this.lockout.release(attempt),
      ]);
      return challenge;
    }
    return this.signIn.completeSignIn(user.id, lifetimeSeconds, origin, undefined, { secretAttempt: attempt, method: "PASSWORD" });
  }

  /** Audits the failure (its claim on the lockout already counts it); a lock starting now is flagged. */
  private async recordFailure(verdict: Extract<AttemptVerdict, { allowed: true }>, userId: string | undefined, identifier: string, origin: AuditOrigin): Promise<void> {
    this.metrics.logins.inc({ result: "failure" });
    await this.audit.record({
      type: AuditEventType.LOGIN_FAILED,
      userId: userId ?? null,
      origin,
      metadata: { identifier: identifier.slice(0, 254), reason: userId ? "WRONG_PASSWORD" : "UNKNOWN_ACCOUNT" },
    });
    await this.lockout.reportFailure(verdict, origin, identifier);
  }
}
