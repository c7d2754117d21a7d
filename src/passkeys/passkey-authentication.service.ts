import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON, } from "@simplewebauthn/server";
import type { Logger } from "pino";
import { Errors } from "../common/app-error";
import type { KeyedHash } from "../common/keyed-hash";
import { decoyCredentials, type CredentialDescriptor } from "./decoy-credentials";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { isDisabledAt, type AccountService } from "../accounts";
import type { SignInService } from "../sign-in";
import type { AuthPayloadData, SessionRow, Viewer, ReauthenticationService } from "../sessions";
import type { WebAuthnCredential } from "../generated/prisma/client";
import type { Metrics } from "../metrics";
import type { PasskeyChallengeService } from "./passkey-challenge.service";
import type { PasskeyStore } from "./passkey.store";
import { PASSKEY_CHALLENGE_TTL_MS, USER_VERIFICATION, parseCredentialJson, userHandleOf, type RelyingParty } from "./relying-party";

export interface PasskeyLoginStartData {
  challengeToken: string;
  optionsJson: string;
}

const MAX_IDENTIFIER_LENGTH = 254;

/**
 * Sign-in with a passkey. begin hands out request options (the named account's passkeys, or
 * none for a discoverable credential) and a challengeToken; finish spends the challenge,
 * verifies the assertion against the stored public key, refuses (and audits) a sign counter that
 * went backwards, and signs in: a full sign-in, since a user-verified passkey is already two
 * factors. Every failure is the same `Invalid credentials`.
 */
export class PasskeyAuthenticationService {
  constructor(
    private readonly store: PasskeyStore,
    private readonly challenges: PasskeyChallengeService,
    private readonly accounts: AccountService,
    private readonly login: SignInService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly rp: RelyingParty,
    private readonly decoyKey: KeyedHash,
    private readonly logger: Logger,
    private readonly reauthentication: ReauthenticationService,
  ) {}

  async begin(identifier: string | null | undefined): Promise<PasskeyLoginStartData> {
    const named = identifier?.trim() ?? "";
    if (named.length > MAX_IDENTIFIER_LENGTH) throw Errors.badInput("identifier", `identifier must be at most ${MAX_IDENTIFIER_LENGTH} characters`);
    let userId: string | null = null;
    let allowCredentials: CredentialDescriptor[] | undefined;
    if (named) {
      const user = await this.accounts.findForSignIn(named);
      const descriptors = user ? await this.store.descriptorsForUser(user.id) : [];
      userId = descriptors.length > 0 ? user!.id : null;
      // An unknown account, or one without passkeys, gets made-up credentials shaped like real
      // ones that stay the same for the same identifier, so the options do not tell whether the
      // account exists or has passkeys.
      allowCredentials = descriptors.length > 0 ? descriptors : decoyCredentials(this.decoyKey, named);
    }
    const options = await generateAuthenticationOptions({
      rpID: this.rp.rpId,
      allowCredentials,
      timeout: PASSKEY_CHALLENGE_TTL_MS,
      userVerification: USER_VERIFICATION,
    });
    const challengeToken = await this.challenges.createForSignIn(options.challenge, userId);
    return { challengeToken, optionsJson: JSON.stringify(options) };
  }

  async finish(challengeToken: string, responseJson: string, origin: AuditOrigin): Promise<AuthPayloadData> {
    const lifetimeSeconds = this.login.accessLifetimeSeconds(undefined);
    const taken = await this.challenges.takeForSignIn(challengeToken);
    if (!taken) return this.fail(null, "CHALLENGE_INVALID", origin);
    const response = parseCredentialJson<AuthenticationResponseJSON>(responseJson);
    if (!response) return this.fail(taken.userId, "MALFORMED_RESPONSE", origin);

    const passkey = await this.store.findByCredentialId(response.id);
    if (!passkey || passkey.user.deletedAt) return this.fail(taken.userId, "UNKNOWN_PASSKEY", origin);
    const user = passkey.user;
    // Sign-in begun for one account cannot end as another.
    if (taken.userId && taken.userId !== user.id) return this.fail(taken.userId, "OTHER_ACCOUNT", origin);
    const userHandle = response.response.userHandle;
    if (userHandle && userHandle !== Buffer.from(userHandleOf(user.id)).toString("base64url")) {
      return this.fail(user.id, "USER_HANDLE_MISMATCH", origin);
    }

    const checked = await this.checkAssertion(passkey, response, taken.challenge, origin);
    if ("failure" in checked) return this.fail(user.id, checked.failure, origin);
    const { info } = checked;
    // Only a caller who holds the passkey learns that the account is disabled.
    if (isDisabledAt(user, this.clock.now())) {
      await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId: user.id, origin, metadata: { method: "PASSKEY", reason: "ACCOUNT_DISABLED" } });
      throw Errors.accountDisabled(user.disabledUntil);
    }

    return this.login.completeSignIn(user.id, lifetimeSeconds, origin, async (tx) => {
      const recorded = await this.store.recordUse(tx, passkey.id, passkey.counter, {
        counter: info.newCounter,
        backedUp: info.credentialBackedUp,
        at: this.clock.now(),
      });
      if (!recorded) throw Errors.invalidCredentials();
      return { method: "PASSKEY", passkeyId: passkey.id };
    }, { passkeyId: passkey.id, method: "PASSKEY" });
  }

  /** Request options naming the signed-in user's own passkeys, for reauthentication. */
  async beginReauthentication(userId: string): Promise<PasskeyLoginStartData> {
    const descriptors = await this.store.descriptorsForUser(userId);
    if (descriptors.length === 0) throw Errors.conflict("passkey", "This account has no passkey; reauthenticate with the password or a code");
    const options = await generateAuthenticationOptions({
      rpID: this.rp.rpId,
      allowCredentials: descriptors,
      timeout: PASSKEY_CHALLENGE_TTL_MS,
      userVerification: USER_VERIFICATION,
    });
    const challengeToken = await this.challenges.createForReauthentication(options.challenge, userId);
    return { challengeToken, optionsJson: JSON.stringify(options) };
  }

  /**
   * Proves the signed-in user again with one of their own passkeys (an account without a
   * password reauthenticates this way); failures count toward the lockout like any other proof.
   */
  finishReauthentication(viewer: Viewer, challengeToken: string, responseJson: string, origin: AuditOrigin): Promise<SessionRow> {
    const userId = viewer.user.id;
    return this.reauthentication.prove(viewer, origin, {
      field: "responseJson",
      method: "PASSKEY",
      check: async () => {
        const challenge = await this.challenges.takeForReauthentication(challengeToken, userId);
        const response = challenge ? parseCredentialJson<AuthenticationResponseJSON>(responseJson) : null;
        const passkey = response ? await this.store.findByCredentialId(response.id) : null;
        if (!challenge || !response || !passkey || passkey.userId !== userId) return undefined;
        const userHandle = response.response.userHandle;
        if (userHandle && userHandle !== Buffer.from(userHandleOf(userId)).toString("base64url")) return undefined;
        const checked = await this.checkAssertion(passkey, response, challenge, origin);
        if ("failure" in checked) return undefined;
        const { info } = checked;
        return {
          method: "PASSKEY",
          consume: (tx) =>
            this.store.recordUse(tx, passkey.id, passkey.counter, { counter: info.newCounter, backedUp: info.credentialBackedUp, at: this.clock.now() }),
        };
      },
    });
  }

  /**
   * Verifies an assertion against a stored passkey and the challenge it was given, and refuses
   * (and audits) a sign counter that went backwards. Nothing is written on success.
   */
  private async checkAssertion(
    passkey: WebAuthnCredential,
    response: AuthenticationResponseJSON,
    expectedChallenge: string,
    origin: AuditOrigin,
  ): Promise<{ info: { newCounter: number; credentialBackedUp: boolean } } | { failure: string }> {
    let info;
    try {
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.rpId,
        // Counter 0 here: the counter is judged below, once the signature is known to be genuine.
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: 0 },
        requireUserVerification: true,
      });
      if (!verification.verified) throw new Error("signature not verified");
      info = verification.authenticationInfo;
    } catch (error) {
      this.logger.info({ userId: passkey.userId, passkeyId: passkey.id, reason: (error as Error).message }, "passkey assertion refused");
      return { failure: "VERIFICATION_FAILED" };
    }

    // A counter at or below the stored one (when either is in use) means two copies of the key.
    const stored = passkey.counter;
    const presented = BigInt(info.newCounter);
    if ((presented > 0n || stored > 0n) && presented <= stored) {
      this.logger.warn({ userId: passkey.userId, passkeyId: passkey.id, ip: origin.ip, reqId: origin.requestId }, "passkey sign counter went backwards: possibly a cloned authenticator");
      await this.audit.record({
        type: AuditEventType.PASSKEY_COUNTER_REGRESSED,
        userId: passkey.userId,
        origin,
        metadata: { passkeyId: passkey.id, storedCounter: Number(stored), presentedCounter: info.newCounter },
      });
      return { failure: "COUNTER_REGRESSED" };
    }
    return { info };
  }

  /** Audits the failure (never the response itself) and answers like every other failure. */
  private async fail(userId: string | null, reason: string, origin: AuditOrigin): Promise<never> {
    this.metrics.logins.inc({ result: "failure" });
    await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId, origin, metadata: { method: "PASSKEY", reason } });
    throw Errors.invalidCredentials();
  }
}
