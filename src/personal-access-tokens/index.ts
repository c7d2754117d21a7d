// What personal-access-tokens/ offers the composition; features do not use it.
export { createPersonalAccessTokens } from "./create-personal-access-tokens";
export { PersonalAccessTokenResolver } from "./personal-access-token.resolver";
export type { PersonalAccessTokenService } from "./personal-access-token.service";
export { TOKEN_PREFIX, TOKEN_PATTERN, isWellFormedTokenSecret } from "./token-secret";
