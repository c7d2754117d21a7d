import type { Request, Response } from "express";
import type { Logger } from "pino";
import type { Services } from "../services";
import { createUserLoaders } from "../accounts/user.loaders";
import { accessTokenFrom } from "../sessions/auth-cookies";
import type { GraphQLContext } from "./context";

/**
 * The one door: a bearer token or lk_access cookie becomes a viewer only when the JWT verifies
 * and its session, user and jti pass the database checks. A bad token is no viewer, not an error,
 * so public operations still work; operations that need a viewer answer UNAUTHENTICATED.
 */
export function createContextBuilder(services: Services, logger: Logger) {
  return async ({ req, res }: { req: Request; res: Response }): Promise<GraphQLContext> => {
    const token = accessTokenFrom(req);
    let viewer;
    if (token) {
      const claims = await services.accessTokens.verify(token);
      if (claims) viewer = await services.sessions.viewerFor(claims);
    }
    const requestId = String((req as Request & { id?: unknown }).id ?? "");
    return {
      viewer,
      provenUserIds: new Set(viewer ? [viewer.user.id] : []),
      origin: { ip: req.ip ?? null, userAgent: req.headers["user-agent"] ?? null },
      requestId,
      services,
      loaders: createUserLoaders(services.prisma),
      logger: logger.child({ requestId }),
      req,
      res,
    };
  };
}
