// What provider/ offers the other features; they import from here, not from its files.
export { createOAuthClients } from "./create-oauth-clients";
export { OAuthClientResolver } from "./oauth-client.resolver";
export { AuthorizedAppsResolver } from "./authorized-apps.resolver";
export { OAuthClientStore } from "./oauth-client.store";
export { AuthorizedAppsStore, GRANT_MODEL } from "./authorized-apps.store";
export { clientSecretHash } from "./oauth-client.service";
