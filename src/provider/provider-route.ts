import type http from "node:http";
import helmet from "helmet";
import type { NextFunction, Request, Response } from "express";
import { DISCOVERY_PATH, PROVIDER_PREFIX } from "./create-provider";
import type { ProviderHost } from "./provider-host";
import { withGrantReadAhead } from "./oidc-adapter";

/** Pages under the interaction path are this server's own (sign-in, consent), not the engine's. */
const INTERACTION_PREFIX = `${PROVIDER_PREFIX}/interaction/`;

/** Whether a request path is the engine's: discovery at the root, everything under /oidc but the interaction pages. */
export function isEnginePath(path: string): boolean {
  if (path === DISCOVERY_PATH) return true;
  return (path === PROVIDER_PREFIX || path.startsWith(`${PROVIDER_PREFIX}/`)) && !path.startsWith(INTERACTION_PREFIX);
}

/**
 * Express middleware handing the engine's paths to it (and only those). It runs before the
 * app's JSON-only security headers: the engine's pages (logout, device, errors) need inline
 * styles and its form_post response an inline script; framing stays forbidden.
 */
export function providerRoute(host: ProviderHost | undefined, options: { hsts: boolean }) {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        scriptSrc: ["'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'", "https:", "http:"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: "no-referrer" },
    crossOriginResourcePolicy: false,
    strictTransportSecurity: options.hsts ? { maxAge: 15552000, includeSubDomains: true } : false,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!host || !isEnginePath(req.path)) return next();
    headers(req, res, (error?: unknown) => {
      if (error) return next(error);
      withGrantReadAhead(() => host.callback(req as http.IncomingMessage, res as http.ServerResponse));
    });
  };
}
