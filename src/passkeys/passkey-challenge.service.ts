import type { PasskeyCeremony } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { randomToken, sha256 } from "../common/tokens";
import { PASSKEY_CHALLENGE_TTL_MS } from "./relying-party";
import type { PasskeyChallengeStore } from "./passkey-challenge.store";

export interface TakenSignInChallenge {
  challenge: string;
  /** The account the identifier named; null for a discoverable (usernameless) sign-in. */
  userId: string | null;
}

// Registration rows are found by the challenge the browser signed (finishPasskeyRegistration
// carries no token); sign-in rows by the challengeToken. Prefixes keep the two apart.
const registrationKey = (challenge: string) => sha256(`registration:${challenge}`);
const signInKey = (token: string) => sha256(`sign-in:${token}`);
// Reauthentication challenges are found by their token too, under their own prefix: a sign-in
// token cannot be spent as a reauthentication, nor the other way round.
const reauthenticationKey = (token: string) => sha256(`reauthentication:${token}`);

/**
 * WebAuthn challenges kept server-side between begin and finish: single use, 5 minutes. Taking
 * one marks it used in one conditional write, so of two requests racing with it only one wins.
 */
export class PasskeyChallengeService {
  constructor(
    private readonly store: PasskeyChallengeStore,
    private readonly clock: Clock,
  ) {}

  async createForRegistration(userId: string, challenge: string): Promise<void> {
    await this.create("REGISTRATION", registrationKey(challenge), challenge, userId);
  }

  /** Stores a sign-in challenge; returns the token the client hands back with its answer. */
  async createForSignIn(challenge: string, userId: string | null): Promise<string> {
    const token = randomToken();
    await this.create("AUTHENTICATION", signInKey(token), challenge, userId);
    return token;
  }

  /** Stores a reauthentication challenge for a signed-in user; returns its token. */
  async createForReauthentication(challenge: string, userId: string): Promise<string> {
    const token = randomToken();
    await this.create("AUTHENTICATION", reauthenticationKey(token), challenge, userId);
    return token;
  }

  /** Spends a reauthentication challenge given to this user; the challenge, or null. */
  async takeForReauthentication(token: string, userId: string): Promise<string | null> {
    if (token.length > 512) return null;
    return (await this.take(reauthenticationKey(token), "AUTHENTICATION", userId))?.challenge ?? null;
  }

  /**
   * Spends the registration challenge this user was given; false when unknown, used, expired or
   * another's (which is left untouched: nobody else can spend a user's challenge).
   */
  async takeForRegistration(userId: string, challenge: string): Promise<boolean> {
    if (challenge.length > 512) return false;
    return (await this.take(registrationKey(challenge), "REGISTRATION", userId)) !== null;
  }

  async takeForSignIn(token: string): Promise<TakenSignInChallenge | null> {
    if (token.length > 512) return null;
    return this.take(signInKey(token), "AUTHENTICATION");
  }

  /** Deletes challenges past their expiry, used or not; returns how many. */
  async prune(): Promise<number> {
    return this.store.deleteExpired(this.clock.now());
  }

  private async create(ceremony: PasskeyCeremony, lookupHash: string, challenge: string, userId: string | null): Promise<void> {
    const now = this.clock.now();
    await this.store.create({ ceremony, lookupHash, challenge, userId, createdAt: now, expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_MS) });
  }

  private async take(lookupHash: string, ceremony: PasskeyCeremony, ownerId?: string): Promise<TakenSignInChallenge | null> {
    const row = await this.store.findByLookupHash(lookupHash);
    if (!row || row.ceremony !== ceremony) return null;
    if (ownerId !== undefined && row.userId !== ownerId) return null;
    return (await this.store.markUsed(row.id, this.clock.now())) ? { challenge: row.challenge, userId: row.userId } : null;
  }
}
