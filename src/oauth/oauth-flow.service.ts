import type { OAuthFlowPurpose } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { SecretBox } from "../common/secret-box";
import { safeEqual, sha256 } from "../common/tokens";
import type { OAuthFlowStore } from "./oauth-flow.store";

/** How long a started sign-in may wait for its completion. */
export const OAUTH_FLOW_TTL_MS = 10 * 60_000;

export interface NewFlow {
  state: string;
  /** The browser binding (see flow-binding.ts); stored as its hash. */
  binding: string;
  provider: string;
  redirectUri: string;
  codeVerifier: string;
  nonce: string;
  purpose: OAuthFlowPurpose;
  userId: string | null;
}

/** A started flow as completion needs it: everything but the state it was found by. */
export type TakenFlow = Omit<NewFlow, "state" | "binding">;

/** What completion must show about the flow it takes. */
export interface TakeRequirements {
  /** LOGIN: a sign-in flow (a flow started for linking is refused); LINK: one this user started. */
  purpose: "LOGIN" | "LINK";
  linkFor?: string;
  /** Binding values the caller presented (the argument, the cookie); one must match the flow's. */
  bindings: Array<string | null | undefined>;
}

const badState = (message: string) => Errors.badInput("state", message);

/**
 * Started sign-ins, kept server-side: the state is stored only as its hash (looked up by it),
 * the PKCE verifier sealed, and each flow can be taken once, within 10 minutes.
 */
export class OAuthFlowService {
  constructor(
    private readonly store: OAuthFlowStore,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async create(flow: NewFlow): Promise<void> {
    const now = this.clock.now();
    await this.store.create({
      stateHash: sha256(flow.state),
      bindingHash: sha256(flow.binding),
      provider: flow.provider,
      redirectUri: flow.redirectUri,
      codeVerifierEncrypted: this.box.seal(flow.codeVerifier),
      nonce: flow.nonce,
      purpose: flow.purpose,
      userId: flow.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + OAUTH_FLOW_TTL_MS),
    });
  }

  /**
   * Takes the flow a state names, marking it used: of two requests racing with one state only
   * one gets it. A flow that fails a requirement (purpose, owner, browser binding) is left
   * untouched, so a leaked state cannot be used to spoil its owner's sign-in.
   */
  async take(state: string, provider: string, needs: TakeRequirements): Promise<TakenFlow> {
    const row = state.length <= 512 ? await this.store.findByStateHash(sha256(state)) : null;
    // A state issued for another provider is unknown here: answers never mix providers up.
    if (!row || row.provider !== provider) throw badState("This sign-in is not known; start it again");
    if (row.usedAt) throw badState("This sign-in has already been completed; start it again");
    const now = this.clock.now();
    if (row.expiresAt.getTime() <= now.getTime()) throw badState("This sign-in has expired; start it again");
    if (needs.purpose === "LINK" && (row.purpose !== "LINK" || row.userId !== needs.linkFor)) {
      throw badState("This sign-in was not started by the signed-in account; start it again while signed in");
    }
    if (needs.purpose === "LOGIN" && row.purpose !== "LOGIN") {
      throw badState("This flow was started to link a provider to an account; complete it with linkOAuthAccount");
    }
    if (!this.boundTo(row.bindingHash, needs.bindings)) {
      throw badState("This sign-in was started in another browser; start it again here");
    }
    if (!(await this.store.markUsed(row.id, now))) throw badState("This sign-in has already been completed; start it again");
    return {
      provider: row.provider,
      redirectUri: row.redirectUri,
      codeVerifier: this.box.open(row.codeVerifierEncrypted),
      nonce: row.nonce,
      purpose: row.purpose,
      userId: row.userId,
    };
  }

  /** Whether one of the presented values is the flow's binding; a flow without one (older than binding) never is. */
  private boundTo(bindingHash: string | null, presented: Array<string | null | undefined>): boolean {
    if (!bindingHash) return false;
    let match = false;
    for (const value of presented) {
      if (value && value.length <= 128 && safeEqual(sha256(value), bindingHash)) match = true;
    }
    return match;
  }

  /** Deletes flows past their expiry, used or not; returns how many. */
  async prune(): Promise<number> {
    return this.store.deleteExpired(this.clock.now());
  }
}
