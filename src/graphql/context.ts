import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Services } from "../services";
import type { Viewer } from "../sessions/session.service";
import type { UserLoaders } from "../accounts/user.loaders";
import type { AuditOrigin } from "../audit/audit.service";

export interface GraphQLContext {
  viewer?: Viewer;
  /** Accounts the caller proved to own in this request (just registered or signed in). */
  provenUserIds: Set<string>;
  origin: AuditOrigin;
  requestId: string;
  services: Services;
  loaders: UserLoaders;
  logger: Logger;
  req: HttpRequest;
  res: ServerResponse;
}

/**
 * The request as the resolvers see it, whether express or the plain GraphQL path (graphql-http.ts)
 * received it: node's request with the caller's address (after TRUST_PROXY) and the request id.
 */
export type HttpRequest = IncomingMessage & { ip?: string; id?: string };
