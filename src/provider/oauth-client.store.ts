import type { OAuthClient, Prisma, PrismaClient } from "../generated/prisma/client";
import type { SqlRunner } from "../db/direct-sql";

type Db = PrismaClient | Prisma.TransactionClient;

/** What the engine reads of a client (see provider-clients.ts clientMetadata). */
export type ProviderClientRow = Pick<
  OAuthClient,
  "clientId" | "name" | "secretHash" | "redirectUris" | "postLogoutRedirectUris" | "grantTypes" | "scopes" | "public" | "firstParty" | "idTokenSigningAlg"
>;

/** A client registered straight in the store (the provider's tests and benchmarks; clients are otherwise managed over GraphQL). */
export interface NewProviderClient {
  clientId: string;
  name: string;
  /** sha256 of the secret (common/tokens.ts); null for a public client. */
  secretHash: string | null;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  grantTypes: string[];
  scopes: string[];
  public: boolean;
  firstParty?: boolean;
  /** "EdDSA" for ID tokens signed with Ed25519; RS256 otherwise. */
  idTokenSigningAlg?: string | null;
}

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

/**
 * Every statement on OAuthClient: ADMINs' management over GraphQL, and the engine's read of a
 * client at every token and authorization request (`findForEngine`, straight on the driver when
 * `sql` is given, see db/direct-sql.ts; CachedProviderClients keeps its answers).
 */
export class OAuthClientStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql?: SqlRunner,
  ) {}

  /** The client as the engine reads it, by its public clientId; null when there is none. */
  async findForEngine(clientId: string): Promise<ProviderClientRow | null> {
    const row = this.sql
      ? (
          await this.sql<ProviderClientRow>`
            SELECT "clientId", "name", "secretHash", "redirectUris", "postLogoutRedirectUris", "grantTypes", "scopes", "public", "firstParty", "idTokenSigningAlg"
            FROM "OAuthClient" WHERE "clientId" = ${clientId}`
        )[0]
      : await this.prisma.oAuthClient.findUnique({ where: { clientId } });
    if (!row) return null;
    // A NULL array column reads as null on the driver: the engine wants lists.
    return {
      clientId: row.clientId,
      name: row.name,
      secretHash: row.secretHash,
      redirectUris: row.redirectUris ?? [],
      postLogoutRedirectUris: row.postLogoutRedirectUris ?? [],
      grantTypes: row.grantTypes ?? [],
      scopes: row.scopes ?? [],
      public: row.public,
      firstParty: row.firstParty,
      idTokenSigningAlg: row.idTokenSigningAlg,
    };
  }

  /** Registers a client without the GraphQL management's checks and audit (tests and benchmarks). */
  async register(client: NewProviderClient): Promise<void> {
    await this.prisma.oAuthClient.create({
      data: { ...client, postLogoutRedirectUris: client.postLogoutRedirectUris ?? [], firstParty: client.firstParty ?? false },
    });
  }

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
