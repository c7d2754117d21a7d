import { generateRegistrationOptions, verifyRegistrationResponse, type RegistrationResponseJSON, } from "@simplewebauthn/server";
import { decodeClientDataJSON } from "@simplewebauthn/server/helpers";
import type { Logger } from "pino";
import { Prisma, type PrismaClient, type User, type WebAuthnCredential } from "../generated/prisma/client";
import { AppError, ErrorCode, Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { assertAddressProven } from "../accounts";
import type { PasskeyChallengeService } from "./passkey-challenge.service";
import type { PasskeyStore } from "./passkey.store";
import { PASSKEY_CHALLENGE_TTL_MS, USER_VERIFICATION, parseCredentialJson, passkeyName, userHandleOf, type RelyingParty } from "./relying-party";
import { uniqueViolation } from "../db/unique-violation";

/** More than anyone needs; keeps one account from filling the table. */
export const MAX_PASSKEYS_PER_USER = 20;

/** The address of the account a passkey is added to, read again inside the adding transaction (from accounts). */
export type ReadAddress = (tx: Prisma.TransactionClient, userId: string) => Promise<Pick<User, "email" | "emailVerified">>;

/** Every failed registration answers alike: what went wrong is in the log, not the response. */
const registrationFailed = () => Errors.badInput("responseJson", "The passkey could not be verified; begin the registration again");

/**
 * Adding a passkey to the signed-in account: begin hands the browser creation options (resident
 * key preferred, user verification required, the account's passkeys excluded) and keeps the
 * challenge; finish spends it, verifies the attestation and stores the credential.
 */
export class PasskeyRegistrationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: PasskeyStore,
    private readonly challenges: PasskeyChallengeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly rp: RelyingParty,
    private readonly logger: Logger,
    private readonly readAddress: ReadAddress,
  ) {}

  /** PublicKeyCredentialCreationOptionsJSON, as text for navigator.credentials.create. */
  async begin(user: Pick<User, "id" | "username" | "email" | "emailVerified">): Promise<string> {
    assertAddressProven(user, "add a passkey");
    if ((await this.store.countForUser(user.id)) >= MAX_PASSKEYS_PER_USER) {
      throw new AppError(ErrorCode.CONFLICT, `An account can have at most ${MAX_PASSKEYS_PER_USER} passkeys; remove one first`);
    }
    const options = await generateRegistrationOptions({
      rpName: this.rp.rpName,
      rpID: this.rp.rpId,
      userName: user.username,
      userDisplayName: user.username,
      userID: userHandleOf(user.id),
      timeout: PASSKEY_CHALLENGE_TTL_MS,
      attestationType: "none",
      excludeCredentials: await this.store.descriptorsForUser(user.id),
      authenticatorSelection: { residentKey: "preferred", userVerification: USER_VERIFICATION },
    });
    await this.challenges.createForRegistration(user.id, options.challenge);
    return JSON.stringify(options);
  }

  async finish(userId: string, responseJson: string, name: string | null | undefined, origin: AuditOrigin): Promise<WebAuthnCredential> {
    const label = passkeyName(name);
    const response = parseCredentialJson<RegistrationResponseJSON>(responseJson);
    const challenge = response ? this.signedChallenge(response) : null;
    if (!response || !challenge) throw registrationFailed();
    // Spent before verifying: a failed attempt cannot be retried with the same challenge.
    if (!(await this.challenges.takeForRegistration(userId, challenge))) {
      this.logger.info({ userId }, "passkey registration refused: challenge unknown, used or expired");
      throw registrationFailed();
    }

    let info;
    try {
      const verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.rpId,
        requireUserVerification: true,
      });
      if (!verification.verified) throw new Error("attestation not verified");
      info = verification.registrationInfo;
    } catch (error) {
      this.logger.info({ userId, reason: (error as Error).message }, "passkey registration refused");
      throw registrationFailed();
    }

    try {
      return await this.prisma.$transaction(async (tx) => {
        // Checked again here: the address may have changed since begin.
        const owner = await this.readAddress(tx, userId);
        assertAddressProven(owner, "add a passkey");
        const passkey = await this.store.create(tx, {
          userId,
          credentialId: info.credential.id,
          publicKey: info.credential.publicKey,
          counter: info.credential.counter,
          transports: (info.credential.transports ?? response.response.transports ?? []).slice(0, 10),
          backupEligible: info.credentialDeviceType === "multiDevice",
          backedUp: info.credentialBackedUp,
          name: label,
          createdAt: this.clock.now(),
        });
        await this.audit.record(
          {
            type: AuditEventType.PASSKEY_ADDED,
            userId,
            origin,
            metadata: { passkeyId: passkey.id, name: label, aaguid: info.aaguid, backupEligible: passkey.backupEligible },
          },
          tx,
        );
        return passkey;
      });
    } catch (error) {
      // The same authenticator registered twice (the browser's exclude list should stop that).
      if (uniqueViolation(error) !== undefined) {
        this.logger.info({ userId }, "passkey registration refused: credential already registered");
        throw registrationFailed();
      }
      throw error;
    }
  }

  /** The challenge inside clientDataJSON, to find the stored one by; the library checks it again. */
  private signedChallenge(response: RegistrationResponseJSON): string | null {
    try {
      const challenge = decodeClientDataJSON(response.response.clientDataJSON).challenge;
      return typeof challenge === "string" && challenge ? challenge : null;
    } catch {
      return null;
    }
  }
}
