// The presets fill OIDC_PROVIDERS entries while the configuration is parsed (src/config/).
export { DEFAULT_OIDC_SCOPES, MICROSOFT_CONSUMERS_ISSUER, PROVIDER_PRESETS, type OAuthProviderKind, type ProviderPreset } from "../config/provider-presets";
