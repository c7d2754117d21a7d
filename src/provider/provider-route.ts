import type http from "node:http";
import helmet from "helmet";
import { DISCOVERY_PATH, PROVIDER_PREFIX } from "./create-provider";
import type { ProviderHost } from "./provider-host";
import { withEngineRequest } from "./oidc-adapter";

const pathOf = (url: string) => {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
};

/** Pages under the interaction path are this server's own (sign-in, consent), not the engine's. */
const INTERACTION_PREFIX = `${PROVIDER_PREFIX}/interaction/`;

/** Whether a request path is the engine's: discovery at the root, everything under /oidc but the interaction pages. */
export function isEnginePath(path: string): boolean {
  if (path === DISCOVERY_PATH) return true;
  return (path === PROVIDER_PREFIX || path.startsWith(`${PROVIDER_PREFIX}/`)) && !path.startsWith(INTERACTION_PREFIX);
}

/** A connect-style step (the request log): calls `next` to go on. */
type Step = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

/**
 * The server's first stop for every request: the engine's paths go straight to it (koa), with
 * the request log and the engine's own security headers; everything else goes to `next` (the
 * /graphql handler, then express). Express's own request handling costs more than the engine
 * does on a client-credentials grant, and nothing of express's is needed here. The engine's
 * pages (logout, device, errors) need inline styles and its form_post response an inline
 * script, so they get their own policy rather than the app's JSON-only one; framing stays
 * forbidden.
 */
export function providerRoute(host: ProviderHost | undefined, options: { hsts: boolean; accessLog: Step }) {
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
  return (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => {
    if (!host || !isEnginePath(pathOf(req.url ?? ""))) return next();
    options.accessLog(req, res, () =>
      headers(req, res, () => {
        // helmet's headers cannot fail on a request; the engine answers everything from here.
        withEngineRequest(() => host.callback(req, res));
      }),
    );
  };
}
