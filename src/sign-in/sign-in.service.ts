import type { Prisma, PrismaClient, User } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { isDisabledAt } from "../accounts";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { AuthPayloadData, SessionService } from "../sessions";
import type { Attempt, LoginLockoutService } from "../limits";
import { viaPrisma, type SqlRunner } from "../db/direct-sql";
import type { Metrics } from "../metrics";
import type { SignInStore } from "./sign-in.store";
import type { TokenLifetimePolicy } from "./token-lifetime-policy";
import type { TwoFactorState } from "./two-factor-state";
import type { TwoFactorChallengeData, TwoFactorChallengeService } from "./two-factor-challenge.service";
import type { SignInMethodName } from "./sign-in-method";

export type { SignInMethodName };

/** How a step proves who signs in: run first in the sign-in's transaction; what it returns joins the audit metadata. */
export type SignInProof = (tx: Prisma.TransactionClient) => Promise<Record<string, unknown>>;

/**
 * The end of every sign-in, whichever step proved who signs in: password (PasswordSignInService),
 * second factor (mfa), passkey (passkeys) or sign-in provider (oauth). Each step hands its proof
 * here; the session, the last-login time, the audit event and the lockout release are written
 * together.
 */
export class SignInService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
    private readonly store: SignInStore,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly lockout: LoginLockoutService,
    private readonly challenges: TwoFactorChallengeService,
    private readonly twoFactor: TwoFactorState,
    private readonly lifetimes: TokenLifetimePolicy,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
  ) {}

  /** Whether the account is disabled now: a timed ban past its end no longer counts (isDisabledAt). */
  isDisabled(user: Pick<User, "disabled" | "disabledUntil">): boolean {
    return isDisabledAt(user, this.clock.now());
  }

  /** The access-token lifetime in seconds the caller asked for, within 1..maximum minutes (see TokenLifetimePolicy). */
  accessLifetimeSeconds(expiresInMinutes: number | null | undefined): number {
    return this.lifetimes.accessLifetimeSeconds(expiresInMinutes);
  }

  /**
   * Sign-in proven some other way than by password (a sign-in provider). Two-factor
   * authentication still applies; `auditMetadata` says how the user proved who they are.
   * `cookie`: the challenge's verifyTwoFactorLogin answers with cookies (default false).
   */
  async signInProven(
    user: User,
    options: { accessTtlSeconds: number; auditMetadata?: Record<string, unknown>; method: SignInMethodName; cookie?: boolean },
    origin: AuditOrigin,
  ): Promise<AuthPayloadData | TwoFactorChallengeData> {
    const secondFactor = await this.twoFactor.enabledMethod(user.id);
    if (secondFactor) {
      this.metrics.logins.inc({ result: "challenge" });
      // The challenge carries the first step's method: the second factor completes that sign-in.
      return this.challenges.issue(user.id, secondFactor, { accessTtlSeconds: options.accessTtlSeconds, cookie: options.cookie === true, method: options.method });
    }
    return this.completeSignIn(user.id, options.accessTtlSeconds, origin, async () => options.auditMetadata ?? {}, { method: options.method });
  }

  /**
   * The end every successful sign-in shares, whether the password was enough or a second factor
   * followed: starts the session, records lastLoginAt and LOGIN_SUCCEEDED, signs the access
   * token. `proof` runs first in the same transaction (spending a challenge and a code); when it
   * throws, nothing is written. What it returns joins the audit metadata. `started.passkeyId`
   * records the passkey that signed in, so that removing it ends this session;
   * `started.secretAttempt`, the password or code check's claim on the lockout, is released in the
   * same statement. `started.method`, how the first step proved who signs in (for a second
   * factor: the step before it), is recorded as User.lastSignInMethod in the same statement.
   */
  async completeSignIn(
    userId: string,
    lifetimeSeconds: number,
    origin: AuditOrigin,
    proof: SignInProof | undefined,
    started: { passkeyId?: string; secretAttempt?: Attempt; method: SignInMethodName },
  ): Promise<AuthPayloadData> {
    // Session, refresh token, last-login time, audit event and webhook deliveries: one statement,
    // so one round trip and atomic without a transaction. Only a proof needs a transaction, to
    // spend its challenge or code in the same commit.
    const { issued, signedIn, entry } = proof
      ? await this.prisma.$transaction(async (tx) => this.write(viaPrisma(tx), tx, userId, lifetimeSeconds, origin, started, await proof(tx)))
      : await this.write(this.sql, this.prisma, userId, lifetimeSeconds, origin, started, {});
    this.audit.recorded(entry);
    this.metrics.logins.inc({ result: "success" });
    return this.sessions.authPayload(signedIn, issued, lifetimeSeconds);
  }

  /**
   * completeSignIn inside the caller's transaction, for a sign-in that another write must not
   * outlive (register with signIn: the account and its first session commit together). Call
   * `committed` once the transaction commits (it announces the audit event).
   */
  async completeSignInWithin(
    tx: Prisma.TransactionClient,
    userId: string,
    lifetimeSeconds: number,
    origin: AuditOrigin,
    started: { method: SignInMethodName; auditMetadata?: Record<string, unknown> },
  ): Promise<{ payload: AuthPayloadData; committed: () => void }> {
    const { issued, signedIn, entry } = await this.write(viaPrisma(tx), tx, userId, lifetimeSeconds, origin, started, started.auditMetadata ?? {});
    const payload = await this.sessions.authPayload(signedIn, issued, lifetimeSeconds);
    return {
      payload,
      committed: () => {
        this.audit.recorded(entry);
        this.metrics.logins.inc({ result: "success" });
      },
    };
  }

  /** The sign-in's one statement (session, last-login stamp and method, audit event, lockout release), through `run`. */
  private async write(
    run: SqlRunner,
    db: PrismaClient | Prisma.TransactionClient,
    userId: string,
    lifetimeSeconds: number,
    origin: AuditOrigin,
    started: { passkeyId?: string; secretAttempt?: Attempt; method: SignInMethodName },
    proven: Record<string, unknown>,
  ) {
    const now = this.clock.now();
    const { parts, issued } = this.sessions.startParts({
      userId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      accessTtlSeconds: lifetimeSeconds,
      passkeyId: started.passkeyId,
    });
    const entry = { type: AuditEventType.LOGIN_SUCCEEDED, userId, origin, metadata: { sessionId: issued.session.id, ...proven } };
    const signedIn = await this.store.complete(run, {
      userId,
      now,
      method: started.method,
      session: parts,
      audit: await this.audit.statementParts(entry, db),
      release: started.secretAttempt ? this.lockout.releasePart(started.secretAttempt) : undefined,
    });
    return { issued, signedIn, entry };
  }
}
