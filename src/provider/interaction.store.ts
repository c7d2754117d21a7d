import type { PrismaClient } from "../generated/prisma/client";

/** The consent pages' reads of the engine's state (OidcPayload): a user's grants to one client. */
export class InteractionStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The ids of the live grants (consents) the account gave the client, newest first. */
  async grantIdsFor(accountId: string, clientId: string, now: Date): Promise<string[]> {
    const rows = await this.prisma.oidcPayload.findMany({
      where: { model: "Grant", accountId, payload: { path: ["clientId"], equals: clientId }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { id: true },
      orderBy: { expiresAt: "desc" },
    });
    return rows.map((row) => row.id);
  }
}
