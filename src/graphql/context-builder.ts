import type { Request, Response } from "express";
import type { Logger } from "pino";
import type { Services } from "../services";
import { createUserLoaders } from "../accounts/user.loaders";
import { accessTokenFrom } from "../sessions/auth-cookies";
import type { GraphQLContext } from "./context";
import { GraphQLError } from "graphql";
import { ErrorCode } from "../common/app-error";
import { isDatabaseUnavailable } from "../db/errors";
import type { RequestWithId } from "../common/request-log";

/** The session lookup needs the database: while it is away, answer 503 SERVICE_UNAVAILABLE, not 500. */
async function unlessDatabaseDown<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    throw new GraphQLError("The service is temporarily unavailable; retry later", {
      originalError: error as Error,
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503 } },
    });
  }
}

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
      viewer = await unlessDatabaseDown(async () => {
        const claims = await services.accessTokens.verify(token);
        return claims ? services.sessions.viewerFor(claims) : undefined;
      });
    }
    const requestId = (req as RequestWithId).id ?? "";
    return {
      viewer,
      provenUserIds: new Set(viewer ? [viewer.user.id] : []),
      origin: { ip: req.ip ?? null, userAgent: req.headers["user-agent"] ?? null },
      requestId,
      services,
      loaders: createUserLoaders(services.prisma),
      // Made when first used: most requests never log, and a child logger per request is not free.
      get logger() {
        const child = logger.child({ requestId });
        Object.defineProperty(this, "logger", { value: child });
        return child;
      },
      req,
      res,
    };
  };
}
