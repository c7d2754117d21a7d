import type { OAuthClient, PrismaClient } from "../generated/prisma/client";
import type { SqlRunner } from "../db/direct-sql";

export type ProviderClientRow = Pick<
  OAuthClient,
  "clientId" | "name" | "secretHash" | "redirectUris" | "postLogoutRedirectUris" | "grantTypes" | "scopes" | "public" | "firstParty" | "idTokenSigningAlg"
>;

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

/**
 * Reads of OAuthClient for the provider's token and authorization endpoints (every grant reads
 * its client: straight on the driver, see db/direct-sql.ts).
 */
export class ProviderClientStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  async findByClientId(clientId: string): Promise<ProviderClientRow | null> {
    const [row] = await this.sql<ProviderClientRow>`
      SELECT "clientId", "name", "secretHash", "redirectUris", "postLogoutRedirectUris", "grantTypes", "scopes", "public", "firstParty", "idTokenSigningAlg"
      FROM "OAuthClient" WHERE "clientId" = ${clientId}`;
    if (!row) return null;
    // A NULL array column reads as null: the engine wants lists.
    return {
      ...row,
      redirectUris: row.redirectUris ?? [],
      postLogoutRedirectUris: row.postLogoutRedirectUris ?? [],
      grantTypes: row.grantTypes ?? [],
      scopes: row.scopes ?? [],
    };
  }

  /** Registers a client (the provider's tests and benchmarks; clients are otherwise managed over GraphQL). */
  async insert(client: NewProviderClient): Promise<void> {
    await this.prisma.oAuthClient.create({
      data: { ...client, postLogoutRedirectUris: client.postLogoutRedirectUris ?? [], firstParty: client.firstParty ?? false },
    });
  }
}
