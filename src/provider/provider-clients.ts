import type { ProviderClientRow } from "./oauth-client.store";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
export const DEFAULT_SCOPES = ["openid", "profile", "email", "offline_access"];

/**
 * An OAuthClient row as oidc-provider client metadata. A confidential client authenticates
 * with client_secret_basic; its `client_secret` here is the stored sha256 hash, which only
 * `compareClientSecret` (create-provider.ts) reads: it hashes what the caller sent and
 * compares in constant time. A public client has no secret and must use PKCE.
 */
export function clientMetadata(row: ProviderClientRow): Record<string, unknown> {
  const grantTypes = row.grantTypes.filter((grant) => grant !== "implicit");
  const redirecting = grantTypes.includes("authorization_code");
  return {
    client_id: row.clientId,
    // The consent and device pages show it.
    client_name: row.name,
    ...(row.public || !row.secretHash
      ? { token_endpoint_auth_method: "none" }
      : { token_endpoint_auth_method: "client_secret_basic", client_secret: row.secretHash }),
    grant_types: grantTypes,
    response_types: redirecting ? ["code"] : [],
    redirect_uris: redirecting ? row.redirectUris : [],
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    scope: (row.scopes.length ? row.scopes : DEFAULT_SCOPES).join(" "),
    id_token_signed_response_alg: row.idTokenSigningAlg === "EdDSA" ? "EdDSA" : "RS256",
    // Read by the consent step: first-party clients skip it.
    first_party: row.firstParty,
  };
}
