// What oauth/ offers the other features; they import from here, not from its files.
export { createOAuth } from "./create-oauth";
export { LinkedProvidersResolver } from "./linked-providers.resolver";
export { OAuthAccountStore } from "./oauth-account.store";
export { OAuthResolver } from "./oauth.resolver";
export type { OAuthUsers } from "./oauth-account.service";
