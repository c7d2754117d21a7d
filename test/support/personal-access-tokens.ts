import type { TestServer } from "./test-server";

export const CREATE_PAT = /* GraphQL */ `
  mutation CreatePat($name: String!, $expiresAt: DateTime, $scopes: [String!]) {
    createPersonalAccessToken(name: $name, expiresAt: $expiresAt, scopes: $scopes) {
      secret
      token { id name scopes createdAt expiresAt lastUsedAt revokedAt }
    }
  }
`;

export const LIST_PATS = /* GraphQL */ `
  query ListPats($includeRevoked: Boolean) {
    personalAccessTokens(includeRevoked: $includeRevoked) { id name scopes createdAt expiresAt lastUsedAt revokedAt }
  }
`;

export const REVOKE_PAT = /* GraphQL */ `
  mutation RevokePat($id: ID!) { revokePersonalAccessToken(id: $id) { id revokedAt } }
`;

/** The secret shape a scanner looks for (as documented in docs/api.md). */
export const PAT_PATTERN = /\blk_pat_[A-Za-z0-9_-]{43}[0-9a-f]{6}\b/g;

/** Makes a token with a signed-in session's access token; throws on errors. */
export async function createPat(server: TestServer, sessionToken: string, scopes: string[] = ["read:profile"], extra: { name?: string; expiresAt?: string } = {}) {
  const { body } = await server.gql(CREATE_PAT, { name: extra.name ?? "script", scopes, expiresAt: extra.expiresAt }, { token: sessionToken });
  if (body.errors) throw new Error(`createPersonalAccessToken failed: ${JSON.stringify(body.errors)}`);
  return body.data.createPersonalAccessToken as { secret: string; token: { id: string; name: string; scopes: string[]; lastUsedAt: string | null } };
}

/** The first error's code and reason, or "OK". */
export function outcome(body: { errors?: Array<{ extensions?: Record<string, any> }> }): string {
  const error = body.errors?.[0];
  if (!error) return "OK";
  return [error.extensions?.code, error.extensions?.reason].filter(Boolean).join("/");
}
