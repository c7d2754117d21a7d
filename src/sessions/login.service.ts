import { Prisma, type PrismaClient, type User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { CredentialService } from "../credentials/credential.service";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import type { AuthPayloadData, SessionService } from "./session.service";
import type { Attempt, AttemptVerdict, LoginLockoutService } from "../limits/login-lockout.service";
import { markSignedInPart } from "../accounts/user-rows";
import { viaPrisma, type SqlRunner } from "../db/direct-sql";
import type { SignInReader } from "./sign-in-read";
import type { Metrics } from "../metrics/metrics";
import type { Logger } from "pino";
import type { TwoFactorChallengeData, TwoFactorChallengeService } from "../mfa/two-factor-challenge.service";

export interface LoginInputData {
  identifier: string;
  password: string;
  expiresInMinutes?: number | null;
  cookie?: boolean | null;
}

export interface LoginPolicy {
  defaultAccessTtlMs: number;
  maxAccessTtlMs: number;
}

/** Password sign-in: one generic failure for unknown user, wrong password and deleted account. */
export class LoginService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
    private readonly signInReader: SignInReader,
    private readonly credentials: CredentialService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: LoginPolicy,
    private readonly lockout: LoginLockoutService,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly twoFactorChallenges: TwoFactorChallengeService,
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

  /** Tokens, or a two-factor challenge when the account has two-factor authentication on. */
  async login(input: LoginInputData, origin: AuditOrigin): Promise<AuthPayloadData | TwoFactorChallengeData> {
    const lifetimeSeconds = this.accessLifetimeSeconds(input.expiresInMinutes);
    const { user, verdict, twoFactorMethod } = await this.signInReader.read(input.identifier, origin.ip);
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
    if (user.disabled) {
      await this.lockout.release(attempt);
      await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId: user.id, origin, metadata: { reason: "ACCOUNT_DISABLED", identifier: input.identifier.trim().slice(0, 254) } });
      throw Errors.accountDisabled();
    }

    if (this.credentials.needsRehash(credential.hash)) {
      await this.credentials.replaceHash(credential.id, await this.credentials.hash(input.password));
      await this.audit.record({ type: AuditEventType.PASSWORD_REHASHED, userId: user.id, origin });
    }

    if (twoFactorMethod) {
      this.metrics.logins.inc({ result: "challenge" });
      const [challenge] = await Promise.all([
        this.twoFactorChallenges.issue(user.id, twoFactorMethod, { accessTtlSeconds: lifetimeSeconds, cookie: input.cookie === true }),
        this.lockout.release(attempt),
      ]);
      return challenge;
    }
    return this.completeSignIn(user.id, lifetimeSeconds, origin, undefined, { secretAttempt: attempt });
  }

  /**
   * Sign-in proven some other way than by password (a sign-in provider). Two-factor
   * authentication still applies; `auditMetadata` says how the user proved who they are.
   */
  async signInProven(
    user: User,
    options: { accessTtlSeconds: number; auditMetadata?: Record<string, unknown> },
    origin: AuditOrigin,
  ): Promise<AuthPayloadData | TwoFactorChallengeData> {
    const challenge = await this.twoFactorChallenges.issueIfEnabled(user.id, { accessTtlSeconds: options.accessTtlSeconds, cookie: false });
    if (challenge) {
      this.metrics.logins.inc({ result: "challenge" });
      return challenge;
    }
    return this.completeSignIn(user.id, options.accessTtlSeconds, origin, async () => options.auditMetadata ?? {});
  }

  /**
   * The end every successful sign-in shares, whether the password was enough or a second factor
   * followed: starts the session, records lastLoginAt and LOGIN_SUCCEEDED, signs the access
   * token. `proof` runs first in the same transaction (spending a challenge and a code); when it
   * throws, nothing is written. What it returns joins the audit metadata. `started.passkeyId`
   * records the passkey that signed in, so that removing it ends this session;
   * `started.secretAttempt`, the password or code check's claim on the lockout, is released in the
   * same statement.
   */
  async completeSignIn(
    userId: string,
    lifetimeSeconds: number,
    origin: AuditOrigin,
    proof?: (tx: Prisma.TransactionClient) => Promise<Record<string, unknown>>,
    started: { passkeyId?: string; secretAttempt?: Attempt } = {},
  ): Promise<AuthPayloadData> {
    const now = this.clock.now();
    // Session, refresh token, last-login time, audit event and webhook deliveries: one statement,
    // so one round trip and atomic without a transaction. Only a proof needs a transaction, to
    // spend its challenge or code in the same commit.
    const write = async (sql: SqlRunner, db: PrismaClient | Prisma.TransactionClient, proven: Record<string, unknown>) => {
      const { parts, issued } = this.sessions.startParts({
        userId,
        ip: origin.ip,
        userAgent: origin.userAgent,
        accessTtlSeconds: lifetimeSeconds,
        passkeyId: started.passkeyId,
      });
      const entry = { type: AuditEventType.LOGIN_SUCCEEDED, userId, origin, metadata: { sessionId: issued.session.id, ...proven } };
      const [signedIn] = await sql<User>`
        WITH ${parts}, ${markSignedInPart(userId, now)}, ${await this.audit.statementParts(entry, db)}${started.secretAttempt ? Prisma.sql`, ${this.lockout.releasePart(started.secretAttempt)}` : Prisma.empty}
        SELECT * FROM signed_in`;
      return { issued, signedIn, entry };
    };
    const { issued, signedIn, entry } = proof
      ? await this.prisma.$transaction(async (tx) => write(viaPrisma(tx), tx, await proof(tx)))
      : await write(this.sql, this.prisma, {});
    this.audit.recorded(entry);
    this.metrics.logins.inc({ result: "success" });
    return this.sessions.authPayload(signedIn, issued, lifetimeSeconds);
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
