import type { OAuthClient, PrismaClient } from "../generated/prisma/client";

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

/** Reads of OAuthClient for the provider's token and authorization endpoints. */
export class ProviderClientStore {
  constructor(private readonly prisma: PrismaClient) {}

  findByClientId(clientId: string): Promise<ProviderClientRow | null> {
    return this.prisma.oAuthClient.findUnique({
      where: { clientId },
      select: {
        clientId: true, name: true, secretHash: true, redirectUris: true, postLogoutRedirectUris: true, grantTypes: true, scopes: true, public: true, firstParty: true, idTokenSigningAlg: true,
      },
    });
  }

  /** Registers a client (the provider's tests and benchmarks; clients are otherwise managed over GraphQL). */
  async insert(client: NewProviderClient): Promise<void> {
    await this.prisma.oAuthClient.create({
      data: { ...client, postLogoutRedirectUris: client.postLogoutRedirectUris ?? [], firstParty: client.firstParty ?? false },
    });
  }
}
