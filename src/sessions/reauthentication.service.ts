import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { Errors, type AppError } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { CredentialService } from "../credentials";
import type { LoginLockoutService } from "../limits";
import type { SecondFactorCheck } from "./second-factor-check";
import type { SessionRow, SessionService, Viewer } from "./session.service";

/** A proof that checked out; `consume` (when given) spends it in the transaction that records it. */
export interface AcceptedProof {
  method: "PASSWORD" | "TOTP" | "HOTP" | "RECOVERY_CODE" | "PASSKEY";
  /** Spends a single-use proof; false when a concurrent request spent it first. */
  consume?: (tx: Prisma.TransactionClient, origin: AuditOrigin) => Promise<boolean>;
}

/** How a proof is checked: nothing is written until it is accepted. */
export interface ProofCheck {
  /** The input field a failure names (BAD_USER_INPUT's extensions.field). */
  field: string;
  /** Written into the failure's audit metadata. */
  method: string;
  check(): Promise<AcceptedProof | undefined>;
}

class ProofAlreadySpent extends Error {}

/**
 * reauthenticate: the signed-in user proves who they are again (password, a second-factor code,
 * or a passkey through the passkeys feature), which moves the session's authenticatedAt. Every
 * failure counts toward the account's login lockout like a failed sign-in, and while the account
 * is locked no proof is looked at.
 */
export class ReauthenticationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessions: SessionService,
    private readonly credentials: CredentialService,
    private readonly secondFactor: SecondFactorCheck,
    private readonly lockout: LoginLockoutService,
    private readonly audit: AuditService,
  ) {}

  /** Exactly one of password and code. */
  async reauthenticate(viewer: Viewer, input: { password?: string | null; code?: string | null }, origin: AuditOrigin): Promise<SessionRow> {
    const given = (["password", "code"] as const).filter((field) => input[field] !== null && input[field] !== undefined);
    if (given.length !== 1) throw Errors.badInput(given[1] ?? "password", "Give exactly one proof: password or code");
    return given[0] === "password" ? this.withPassword(viewer, input.password!, origin) : this.withCode(viewer, input.code!, origin);
  }

  private async withPassword(viewer: Viewer, password: string, origin: AuditOrigin): Promise<SessionRow> {
    const credential = await this.credentials.currentHash(viewer.user.id, "PASSWORD");
    if (!credential) throw Errors.badInput("password", "This account has no password; reauthenticate with a passkey");
    return this.prove(viewer, origin, {
      field: "password",
      method: "PASSWORD",
      check: async () => ((await this.credentials.verify(password, credential.hash)) ? { method: "PASSWORD" } : undefined),
    });
  }

  private async withCode(viewer: Viewer, code: string, origin: AuditOrigin): Promise<SessionRow> {
    const twoFactor = await this.secondFactor.enabled(viewer.user.id);
    if (!twoFactor) throw Errors.twoFactorNotEnabled();
    return this.prove(viewer, origin, {
      field: "code",
      method: "CODE",
      check: async () => {
        const accepted = await this.secondFactor.check(twoFactor, code);
        if (!accepted) return undefined;
        return { method: accepted.method, consume: (tx, at) => accepted.consume(tx, at, "REAUTHENTICATE") };
      },
    });
  }

  /**
   * Checks a proof under the lockout and, when it holds, spends it and records the new
   * authenticatedAt in one transaction. The lockout is used only here.
   */
  async prove(viewer: Viewer, origin: AuditOrigin, proof: ProofCheck): Promise<SessionRow> {
    const userId = viewer.user.id;
    // The check is claimed on the account's lockout before it runs (concurrent guesses get at
    // most the threshold's checks); a success releases the claim, a failure leaves it counted.
    const verdict = await this.lockout.claim(userId, origin.ip);
    if (!verdict.allowed) throw Errors.accountLocked(verdict.lock.retryAfterSeconds);

    let accepted: Awaited<ReturnType<ProofCheck["check"]>>;
    try {
      accepted = await proof.check();
    } catch (error) {
      await this.lockout.release(verdict.attempt);
      throw error;
    }
    if (accepted) {
      try {
        const session = await this.prisma.$transaction(async (tx) => {
          if (accepted.consume && !(await accepted.consume(tx, origin))) throw new ProofAlreadySpent();
          const row = await this.sessions.markAuthenticated(tx, viewer.sessionId);
          if (!row) throw Errors.unauthenticated();
          await this.audit.record(
            { type: AuditEventType.REAUTHENTICATED, userId, origin, metadata: { sessionId: viewer.sessionId, method: accepted.method } },
            tx,
          );
          return row;
        });
        await this.lockout.release(verdict.attempt);
        return session;
      } catch (error) {
        if (!(error instanceof ProofAlreadySpent)) {
          await this.lockout.release(verdict.attempt);
          throw error;
        }
      }
    }

    await this.audit.record({
      type: AuditEventType.REAUTHENTICATION_FAILED,
      userId,
      origin,
      metadata: { sessionId: viewer.sessionId, method: proof.method },
    });
    await this.lockout.reportFailure(verdict, origin);
    throw this.wrongProof(proof.field);
  }

  private wrongProof(field: string): AppError {
    if (field === "code") return Errors.wrongTwoFactorCode();
    if (field === "password") return Errors.badInput("password", "The password is not correct");
    return Errors.badInput(field, "The passkey could not be verified");
  }
}
