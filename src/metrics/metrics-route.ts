import type { Request, Response } from "express";
import { safeEqual } from "../common/tokens";
import type { Metrics } from "./metrics";

/**
 * Where /metrics is served: on the main port outside production (as ever); in production only
 * when METRICS_TOKEN is set (then on the main port, with the token); METRICS_PORT moves it to
 * a port of its own (loopback by default) and off the main port. With neither in production
 * the main port answers 404: the numbers (sign-ins, lockouts, sessions) are not for everyone.
 */
export function metricsOnMainPort(config: { env: string; metricsPort?: number; metricsToken?: string }): boolean {
  if (config.metricsPort !== undefined) return false;
  return config.env !== "production" || config.metricsToken !== undefined;
}

/** GET /metrics; with a token, only for `Authorization: Bearer <token>` (compared in constant time). */
export function metricsRoute(metrics: Metrics, token: string | undefined) {
  return async (req: Request, res: Response) => {
    if (token !== undefined) {
      const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
      if (!match || !safeEqual(match[1].trim(), token)) {
        res.setHeader("www-authenticate", 'Bearer realm="metrics"');
        res.status(401).json({ error: "unauthorized" });
        return;
      }
    }
    res.setHeader("content-type", metrics.registry.contentType);
    res.setHeader("cache-control", "no-store");
    res.send(await metrics.registry.metrics());
  };
}
