import type { Prisma, PrismaClient } from "../generated/prisma/client";

/** What the engine hands the adapter to keep (oidc-provider's AdapterPayload). */
export type OidcPayloadData = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  consumed?: number;
};

/**
 * Statements on OidcPayload: the engine's state, one row per (model, id). A row past its
 * expiresAt reads as absent and is removed by `pruneExpired` (a background job).
 */
export class OidcPayloadStore {
  constructor(private readonly prisma: PrismaClient) {}

  async upsert(model: string, id: string, payload: OidcPayloadData, expiresAt: Date | null): Promise<void> {
    const columns = {
      payload: payload as Prisma.InputJsonValue,
      grantId: typeof payload.grantId === "string" ? payload.grantId : null,
      userCode: typeof payload.userCode === "string" ? payload.userCode : null,
      uid: typeof payload.uid === "string" ? payload.uid : null,
      accountId: typeof payload.accountId === "string" ? payload.accountId : null,
      expiresAt,
    };
    await this.prisma.oidcPayload.upsert({
      where: { model_id: { model, id } },
      create: { model, id, ...columns },
      update: { ...columns, consumedAt: null },
    });
  }

  find(model: string, id: string, now: Date): Promise<OidcPayloadData | undefined> {
    return this.first({ model, id }, now);
  }

  findByUid(model: string, uid: string, now: Date): Promise<OidcPayloadData | undefined> {
    return this.first({ model, uid }, now);
  }

  findByUserCode(model: string, userCode: string, now: Date): Promise<OidcPayloadData | undefined> {
    return this.first({ model, userCode }, now);
  }

  private async first(where: Prisma.OidcPayloadWhereInput, now: Date): Promise<OidcPayloadData | undefined> {
    const row = await this.prisma.oidcPayload.findFirst({
      where: { ...where, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { payload: true, consumedAt: true },
    });
    if (!row) return undefined;
    const payload = row.payload as OidcPayloadData;
    // The engine reads `consumed` (epoch seconds) to tell a used code or rotated refresh token.
    return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
  }

  async consume(model: string, id: string, now: Date): Promise<void> {
    await this.prisma.oidcPayload.updateMany({ where: { model, id }, data: { consumedAt: now } });
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.prisma.oidcPayload.deleteMany({ where: { model, id } });
  }

  /** Everything issued under one grant (codes, access and refresh tokens), whatever the model. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.prisma.oidcPayload.deleteMany({ where: { grantId } });
  }

  /**
   * Everything the engine keeps for one account: its provider sessions, grants, codes and
   * tokens (rows that name the account, and those issued under its grants).
   */
  async deleteForAccount(accountId: string): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const grants = await tx.oidcPayload.findMany({ where: { accountId, model: "Grant" }, select: { id: true } });
      const byGrant = grants.length
        ? await tx.oidcPayload.deleteMany({ where: { grantId: { in: grants.map((grant) => grant.id) } } })
        : { count: 0 };
      const byAccount = await tx.oidcPayload.deleteMany({ where: { accountId } });
      return byGrant.count + byAccount.count;
    });
  }

  /** Removes rows past their expiry; plain DELETE by time, safe in several processes at once. */
  async pruneExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.oidcPayload.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}
