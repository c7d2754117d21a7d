import type { OAuthFlow, PrismaClient } from "../generated/prisma/client";

/** A flow as start stores it: the state and binding as hashes, the PKCE verifier sealed. */
export type NewOAuthFlow = Omit<OAuthFlow, "id" | "usedAt">;

/** OAuthFlow rows: started provider sign-ins, found by the hash of their state. */
export class OAuthFlowStore {
  constructor(private readonly prisma: PrismaClient) {}

  async create(flow: NewOAuthFlow): Promise<void> {
    await this.prisma.oAuthFlow.create({ data: flow, select: { id: true } });
  }

  findByStateHash(stateHash: string): Promise<OAuthFlow | null> {
    return this.prisma.oAuthFlow.findUnique({ where: { stateHash } });
  }

  /** Marks a flow used if it is still unused and live at `now`; false when another request took it first. */
  async markUsed(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.oAuthFlow.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    return count === 1;
  }

  /** Deletes flows expired at `now`, used or not; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.oAuthFlow.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}
