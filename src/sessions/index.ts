// What sessions/ offers the other features; they import from here, not from its files.
export { accessTokenFrom, clearAuthCookies, deviceIdFrom, hasRefreshCookie, readCookie, setAuthCookies, setDeviceCookie } from "./auth-cookies";
export { pageRequestOrigin } from "./page-request-origin";
export { toAuthPayload } from "./auth-payload.mapper";
export { createSessions } from "./create-sessions";
export { ActiveOrganizationResolver } from "./active-organization.resolver";
export { ImpersonatedByResolver } from "./impersonated-by.resolver";
export type { BusMessage, ClientChange, InvalidationBus } from "./invalidation-bus";
export { InvalidatedCache } from "./invalidated-cache";
export { ReauthenticationResolver } from "./reauthentication.resolver";
export type { ReauthenticationService } from "./reauthentication.service";
export { SessionResolver } from "./session.resolver";
export type { AuthPayloadData, SessionRow, SessionService, Viewer } from "./session.service";
export { IMPERSONATION_MAX_LIFETIME_MS } from "./session.service";
export { AuthPayload, Session } from "./session.types";
export { signedInFromPart } from "./session.store";
