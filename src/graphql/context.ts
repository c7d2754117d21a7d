import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { RequestOrigin } from "../common/request-origin";
import type { RequestLogFields } from "../common/request-log";
import type { Viewer } from "./viewer";

/**
 * The feature services resolvers reach as `ctx.services.<name>`. Empty here: the kernel knows no
 * feature. The composition root (src/services.ts) fills it by module augmentation, so resolvers
 * are typed against the real services without importing the composition root.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface ServiceRegistry {}

/** The per-request DataLoaders (`ctx.loaders.<name>`), filled like ServiceRegistry by src/context-builder.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface LoaderRegistry {}

/** The recent-authentication rule, as the auth checker and @RecentAuthentication() need it. */
export interface RecentAuthCheck {
  /** Throws FORBIDDEN / REAUTHENTICATION_REQUIRED unless the viewer proved who they are lately (FORBIDDEN / IMPERSONATION when impersonated). */
  require(viewer: Viewer | undefined): void;
}

/** What the kernel itself needs among the services. */
export interface KernelServices {
  recentAuth: RecentAuthCheck;
}

export interface GraphQLContext {
  viewer?: Viewer;
  /** Accounts the caller proved to own in this request (just registered or signed in). */
  provenUserIds: Set<string>;
  origin: RequestOrigin;
  requestId: string;
  services: ServiceRegistry & KernelServices;
  loaders: LoaderRegistry;
  logger: Logger;
  req: HttpRequest;
  res: ServerResponse;
  /** No viewer, though the request carried an access token or the refresh cookie: a refresh may sign it in again. */
  sessionRefreshable: boolean;
  /**
   * Over WebSocket (graphql-ws), the connection the operation came on, which its subscriptions
   * feed (session-events/); absent over HTTP.
   */
  connection?: unknown;
  /** Set by `viewer` when it answered null for that reason; the response then says so (session-hint.plugin.ts). */
  answeredStaleViewer?: boolean;
}

/**
 * The request as the resolvers see it, whether express or the plain GraphQL path (graphql-http.ts)
 * received it: node's request with the caller's address (after TRUST_PROXY), the request id and
 * what the access line names (the operations and the user).
 */
export type HttpRequest = IncomingMessage & RequestLogFields & { ip?: string };
