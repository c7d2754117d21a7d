// OIDC_PROVIDERS is parsed with the rest of the configuration (src/config/), below every feature;
// the providers' shape is the oauth feature's input.
export type { OAuthProviderConfig, OAuthProviderKind } from "../config/oauth-provider-config";
