import type { OAuthClient, Prisma, PrismaClient } from "../generated/prisma/client";

type Db = PrismaClient | Prisma.TransactionClient;

/** What an ADMIN sets on a client (createOAuthClient, updateOAuthClient), already checked. */
export interface OAuthClientFields {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  public: boolean;
  firstParty: boolean;
}

/** Every statement on OAuthClient, and the provider state rows a client's deletion takes with it. */
export class OAuthClientStore {
  constructor(private readonly prisma: PrismaClient) {}

  list(): Promise<OAuthClient[]> {
    return this.prisma.oAuthClient.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  find(id: string, db: Db = this.prisma): Promise<OAuthClient | null> {
    return db.oAuthClient.findUnique({ where: { id } });
  }

  findByClientId(clientId: string, db: Db = this.prisma): Promise<OAuthClient | null> {
    return db.oAuthClient.findUnique({ where: { clientId } });
  }

  /** The clients with these clientIds, in no particular order. */
  findManyByClientId(clientIds: string[]): Promise<OAuthClient[]> {
    if (clientIds.length === 0) return Promise.resolve([]);
    return this.prisma.oAuthClient.findMany({ where: { clientId: { in: clientIds } }, orderBy: [{ name: "asc" }, { id: "asc" }] });
  }

  insert(tx: Prisma.TransactionClient, row: OAuthClientFields & { clientId: string; secretHash: string | null; now: Date }): Promise<OAuthClient> {
    const { now, ...fields } = row;
    return tx.oAuthClient.create({ data: { ...fields, createdAt: now, updatedAt: now } });
  }

  /** Changes a client; null when there is none with this id. */
  async update(tx: Prisma.TransactionClient, id: string, fields: Partial<OAuthClientFields> & { secretHash?: string | null }, now: Date): Promise<OAuthClient | null> {
    const { count } = await tx.oAuthClient.updateMany({ where: { id }, data: { ...fields, updatedAt: now } });
    return count === 1 ? tx.oAuthClient.findUniqueOrThrow({ where: { id } }) : null;
  }

  /** Deletes a client; returns it, or null when there was none. */
  async delete(tx: Prisma.TransactionClient, id: string): Promise<OAuthClient | null> {
    const row = await tx.oAuthClient.findUnique({ where: { id } });
    if (!row) return null;
    await tx.oAuthClient.delete({ where: { id } });
    return row;
  }
}
