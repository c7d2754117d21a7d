import type { IncomingMessage } from "node:http";
import { randomToken } from "../common/tokens";
import type { RequestOrigin } from "../common/request-origin";
import { deviceIdFrom } from "./auth-cookies";

/**
 * Who sent a request to one of the server-rendered pages (the OpenID Provider's sign-in pages,
 * /magic-link): the address (express's, after TRUST_PROXY), the user agent, the lk_device cookie
 * or a new device id a sign-in answer would set, and the request id.
 */
export function pageRequestOrigin(req: IncomingMessage & { ip?: string; id?: string }): RequestOrigin {
  const device = deviceIdFrom(req);
  return {
    ip: req.ip ?? null,
    userAgent: req.headers["user-agent"] ?? null,
    device: device ? { id: device, fromCookie: true } : { id: randomToken(), fromCookie: false },
    requestId: req.id,
  };
}
