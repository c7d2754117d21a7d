// What provider/ (Latchkey as an OpenID Provider) offers the composition root.
export { createProvider, DISCOVERY_PATH, PROVIDER_PREFIX } from "./create-provider";
export type { ProviderDependencies, ProviderSettings } from "./create-provider";
export { ProviderHost } from "./provider-host";
export { OidcPayloadStore } from "./oidc-payload.store";
export { ProviderClientStore } from "./provider-client.store";
export type { NewProviderClient, ProviderClientRow } from "./provider-client.store";
export { DEFAULT_SCOPES, DEVICE_CODE_GRANT, clientMetadata } from "./provider-clients";
export type { ProviderAccountRow, ProviderAccountSource } from "./provider-accounts";
export { AccountRevocation, endsProviderState } from "./account-revocation";
export { providerRoute } from "./provider-route";
export { createProviderFeature } from "./create-provider-feature";
export { interactionRoutes } from "./interaction.routes";
export type { InteractionDeps, InteractionProvider, InteractionSignIn } from "./interaction.routes";
export { endBrowserSessionOnLogout } from "./logout-pages";
export { InteractionStore } from "./interaction.store";
