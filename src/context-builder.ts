import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import { GraphQLError } from "graphql";
import type { Services } from "./services";
import { createUserLoaders, type UserLoaders } from "./accounts";
import { accessTokenFrom, deviceIdFrom, hasRefreshCookie } from "./sessions";
import { randomToken } from "./common/tokens";
import type { GraphQLContext, HttpRequest } from "./graphql/context";
import { ErrorCode } from "./common/app-error";
import { isDatabaseUnavailable } from "./db/errors";
import { rememberRequestId } from "./graphql/error-request-ids";

// Resolvers reach these as `ctx.loaders.<name>`, typed without importing this module.
declare module "./graphql/context" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the registry is exactly these loaders
  interface LoaderRegistry extends UserLoaders {}
}

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

/** A personal access token in `Authorization: Bearer lk_pat_...` (never from a cookie). */
function personalAccessTokenFrom(req: HttpRequest): string | undefined {
  const match = /^Bearer\s+(lk_pat_\S*)$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}

/** The lk_device cookie, or a new device id that a sign-in answer would set. */
function deviceOf(req: HttpRequest): { id: string; fromCookie: boolean } {
  const id = deviceIdFrom(req);
  return id ? { id, fromCookie: true } : { id: randomToken(), fromCookie: false };
}

/**
 * The one door: a bearer token or lk_access cookie becomes a viewer only when the JWT verifies
 * and its session, user and jti pass the database checks. A bad token is no viewer, not an error,
 * so public operations still work; operations that need a viewer answer UNAUTHENTICATED.
 */
export function createContextBuilder(services: Services, logger: Logger) {
  // What most requests never use is made on first use, by getters on the prototype: Apollo
  // copies each context with Object.assign, which would call getters that were own properties.
  const lazyParts = {
    get logger(): Logger {
      const child = logger.child({ reqId: (this as unknown as GraphQLContext).requestId });
      Object.defineProperty(this, "logger", { value: child });
      return child;
    },
    get loaders(): UserLoaders {
      const loaders = createUserLoaders(services.userLoaderSources);
      Object.defineProperty(this, "loaders", { value: loaders });
      return loaders;
    },
  };
  return async ({ req, res }: { req: HttpRequest; res: ServerResponse }): Promise<GraphQLContext> => {
    const pat = personalAccessTokenFrom(req);
    const token = pat ?? accessTokenFrom(req);
    let viewer;
    if (token) {
      try {
        viewer = await unlessDatabaseDown(async () => {
          // A personal access token: looked up by its hash, with its user, in one statement.
          if (pat) return services.personalAccessTokens.viewerFor(pat, req.ip ?? null);
          const claims = await services.accessTokens.verify(token);
          return claims ? services.sessions.viewerFor(claims) : undefined;
        });
      } catch (error) {
        // Apollo formats this error before any plugin sees the request: note its request id here.
        rememberRequestId(error, req.id);
        throw error;
      }
    }
    const context: Omit<GraphQLContext, "logger" | "loaders"> = {
      viewer,
      provenUserIds: new Set(viewer ? [viewer.user.id] : []),
      origin: {
        ip: req.ip ?? null,
        userAgent: req.headers["user-agent"] ?? null,
        device: deviceOf(req),
        requestId: req.id,
        // What an impersonated session does is audited with the ADMIN as actor.
        ...(viewer?.impersonatorId ? { impersonatorId: viewer.impersonatorId } : {}),
      },
      requestId: req.id ?? "",
      services,
      req,
      res,
      // Signed-in requests stop at `!viewer`: the cookie is looked for only without a viewer.
      sessionRefreshable: !viewer && !pat && (token !== undefined || hasRefreshCookie(req)),
    };
    return Object.assign(Object.create(lazyParts), context) as GraphQLContext;
  };
}
