export {
  createAuthStore,
  type AuthEventName,
  type AuthEvents,
  type AuthMode,
  type AuthSnapshot,
  type AuthStore,
  type BearerTokens,
  type SignOutReason,
  type TwoFactorChallengeInfo,
} from "./auth-store.ts";
export type { Refresher } from "./refresh.ts";
export { createLatchkeyClient, type LatchkeyClient, type LatchkeyClientOptions, type SignInOutcome } from "./latchkey-client.ts";
export { createLatchkeyFetch } from "./latchkey-fetch.ts";
export { possibleTypes } from "./possible-types.ts";
export { isUnauthenticated } from "./graphql-errors.ts";
export { watchSessionEvents, type SessionEvent, type SessionEventType, type WatchSessionEventsOptions } from "./session-events.ts";
export type { FetchFunction } from "./transport.ts";
export * from "./generated/operations.ts";
