/**
 * What Latchkey knows about well-known providers, so OIDC_PROVIDERS entries with these ids
 * need only their client credentials and redirect URIs.
 */
export type OAuthProviderKind = "oidc" | "github";

export interface ProviderPreset {
  name: string;
  kind: OAuthProviderKind;
  /** OIDC issuer to discover from; absent for plain OAuth 2 providers. */
  issuer?: string;
  scopes: string[];
}

/** Personal Microsoft accounts. Work and school accounts need their tenant's issuer. */
export const MICROSOFT_CONSUMERS_ISSUER = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0";

export const PROVIDER_PRESETS: Record<string, ProviderPreset> = {
  google: { name: "Google", kind: "oidc", issuer: "https://accounts.google.com", scopes: ["openid", "email", "profile"] },
  microsoft: { name: "Microsoft", kind: "oidc", issuer: MICROSOFT_CONSUMERS_ISSUER, scopes: ["openid", "email", "profile"] },
  // GitHub speaks OAuth 2 without ID tokens: the identity comes from its user API.
  github: { name: "GitHub", kind: "github", scopes: ["read:user", "user:email"] },
};

export const DEFAULT_OIDC_SCOPES = ["openid", "email", "profile"];
