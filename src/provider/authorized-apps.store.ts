import type { Prisma, PrismaClient } from "../generated/prisma/client";

type Db = PrismaClient | Prisma.TransactionClient;

/** The provider engine's name for a consent: one row per (account, client), its payload names both. */
export const GRANT_MODEL = "Grant";

/** A consent as the engine stores it (a Grant), reduced to what this feature reads. */
export interface GrantRow {
  id: string;
  accountId: string;
  clientId: string;
}

/** The scope a grant holds, as the engine writes it: `openid: { scope: "openid email" }`. */
export interface GrantPayload {
  accountId: string;
  clientId: string;
  openid?: { scope?: string };
  [key: string]: unknown;
}

/**
 * The statements on OidcPayload that read and end consents (Grant rows) and what was issued
 * under them (codes, access and refresh tokens, device codes: rows whose grantId is the grant's).
 */
export class AuthorizedAppsStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The user's grants that have not expired, each with the client it is for. */
  async grantsOf(accountId: string, now: Date, db: Db = this.prisma): Promise<GrantRow[]> {
    const rows = await db.oidcPayload.findMany({
      where: { model: GRANT_MODEL, accountId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { id: true, payload: true },
    });
    return rows.flatMap((row) => {
      const clientId = (row.payload as { clientId?: unknown } | null)?.clientId;
      return typeof clientId === "string" ? [{ id: row.id, accountId, clientId }] : [];
    });
  }

  /**
   * The grants (consents) the user gave the client, newest first: every one, expired or not (to
   * revoke them), or with `liveAt` only those still valid then (the consent page reuses one).
   */
  async grantIdsFor(accountId: string, clientId: string, options: { liveAt?: Date; db?: Db } = {}): Promise<string[]> {
    const { liveAt, db = this.prisma } = options;
    const rows = await db.oidcPayload.findMany({
      where: {
        model: GRANT_MODEL,
        accountId,
        payload: { path: ["clientId"], equals: clientId },
        ...(liveAt ? { OR: [{ expiresAt: null }, { expiresAt: { gt: liveAt } }] } : {}),
      },
      select: { id: true },
      orderBy: { expiresAt: "desc" },
    });
    return rows.map((row) => row.id);
  }

  /** Every grant given to a client, whoever gave it. */
  async grantIdsOfClient(clientId: string, db: Db = this.prisma): Promise<string[]> {
    const rows = await db.oidcPayload.findMany({
      where: { model: GRANT_MODEL, payload: { path: ["clientId"], equals: clientId } },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /** Records a consent the way the engine does (tests and tools; the engine writes its own through its adapter). */
  async insertGrant(grantId: string, payload: GrantPayload, expiresAt: Date | null, db: Db = this.prisma): Promise<void> {
    await db.oidcPayload.create({
      data: { model: GRANT_MODEL, id: grantId, payload: payload as Prisma.InputJsonValue, accountId: payload.accountId, expiresAt },
    });
  }

  /** Deletes the grants and every row issued under them; returns how many grants went. */
  async deleteGrants(tx: Prisma.TransactionClient, grantIds: string[]): Promise<number> {
    if (grantIds.length === 0) return 0;
    await tx.oidcPayload.deleteMany({ where: { grantId: { in: grantIds }, NOT: { model: GRANT_MODEL } } });
    const { count } = await tx.oidcPayload.deleteMany({ where: { model: GRANT_MODEL, id: { in: grantIds } } });
    return count;
  }

  /** Deletes what the engine issued to a client outside any grant (client-credentials tokens, pending device codes). */
  async deleteIssuedToClient(tx: Prisma.TransactionClient, clientId: string): Promise<void> {
    await tx.oidcPayload.deleteMany({ where: { NOT: { model: { in: [GRANT_MODEL, "Session"] } }, payload: { path: ["clientId"], equals: clientId } } });
  }
}
