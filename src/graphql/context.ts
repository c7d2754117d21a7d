import type { Request, Response } from "express";
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
  req: Request;
  res: Response;
}
