// What provider/ (Latchkey as an OpenID Provider) offers the composition root.
export { createProvider, DISCOVERY_PATH, PROVIDER_PREFIX } from "./create-provider";
export type { ProviderDependencies, ProviderSettings } from "./create-provider";
export { ProviderHost } from "./provider-host";
export { OidcPayloadStore } from "./oidc-payload.store";
export type { NewProviderClient, ProviderClientRow } from "./oauth-client.store";
export { DEFAULT_SCOPES, DEVICE_CODE_GRANT, clientMetadata } from "./provider-clients";
export type { ProviderAccountRow, ProviderAccountSource } from "./provider-accounts";
export { AccountRevocation, endsProviderState } from "./account-revocation";
export { providerRoute } from "./provider-route";
export { createProviderFeature } from "./create-provider-feature";
// What provider/ offers the other features; they import from here, not from its files.
export { createOAuthClients } from "./create-oauth-clients";
export { OAuthClientResolver } from "./oauth-client.resolver";
export { AuthorizedAppsResolver } from "./authorized-apps.resolver";
export { OAuthClientStore } from "./oauth-client.store";
export { AuthorizedAppsStore, GRANT_MODEL } from "./authorized-apps.store";
export { clientSecretHash } from "./oauth-client.service";
export { interactionRoutes } from "./interaction.routes";
export type { InteractionDeps, InteractionProvider, InteractionSignIn } from "./interaction.routes";
export { endBrowserSessionOnLogout } from "./logout-pages";
