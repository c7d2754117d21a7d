import type { OAuthFlowPurpose, PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { SecretBox } from "../common/secret-box";
import { sha256 } from "../common/tokens";

/** How long a started sign-in may wait for its completion. */
export const OAUTH_FLOW_TTL_MS = 10 * 60_000;

export interface NewFlow {
  state: string;
  provider: string;
  redirectUri: string;
  codeVerifier: string;
  nonce: string;
  purpose: OAuthFlowPurpose;
  userId: string | null;
}

/** A started flow as completion needs it: everything but the state it was found by. */
export type TakenFlow = Omit<NewFlow, "state">;

const badState = (message: string) => Errors.badInput("state", message);

/**
 * Started sign-ins, kept server-side: the state is stored only as its hash (looked up by it),
 * the PKCE verifier sealed, and each flow can be taken once, within 10 minutes.
 */
export class OAuthFlows {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async create(flow: NewFlow): Promise<void> {
    const now = this.clock.now();
    await this.prisma.oAuthFlow.create({
      data: {
        stateHash: sha256(flow.state),
        provider: flow.provider,
        redirectUri: flow.redirectUri,
        codeVerifierEncrypted: this.box.seal(flow.codeVerifier),
        nonce: flow.nonce,
        purpose: flow.purpose,
        userId: flow.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + OAUTH_FLOW_TTL_MS),
      },
      select: { id: true },
    });
  }

  /**
   * Takes the flow a state names, marking it used: of two requests racing with one state only
   * one gets it. `linkFor` demands a flow that this signed-in user started; a flow that fails
   * that check is left untouched.
   */
  async take(state: string, provider: string, linkFor?: string): Promise<TakenFlow> {
    const row = state.length <= 512 ? await this.prisma.oAuthFlow.findUnique({ where: { stateHash: sha256(state) } }) : null;
    // A state issued for another provider is unknown here: answers never mix providers up.
    if (!row || row.provider !== provider) throw badState("This sign-in is not known; start it again");
    if (row.usedAt) throw badState("This sign-in has already been completed; start it again");
    const now = this.clock.now();
    if (row.expiresAt.getTime() <= now.getTime()) throw badState("This sign-in has expired; start it again");
    if (linkFor !== undefined && (row.purpose !== "LINK" || row.userId !== linkFor)) {
      throw badState("This sign-in was not started by the signed-in account; start it again while signed in");
    }
    const { count } = await this.prisma.oAuthFlow.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) throw badState("This sign-in has already been completed; start it again");
    return {
      provider: row.provider,
      redirectUri: row.redirectUri,
      codeVerifier: this.box.open(row.codeVerifierEncrypted),
      nonce: row.nonce,
      purpose: row.purpose,
      userId: row.userId,
    };
  }

  /** Deletes flows past their expiry, used or not; returns how many. */
  async prune(): Promise<number> {
    const { count } = await this.prisma.oAuthFlow.deleteMany({ where: { expiresAt: { lte: this.clock.now() } } });
    return count;
  }
}
