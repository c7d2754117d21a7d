import { getGraphQLRateLimiter } from "graphql-rate-limit";
import type { GraphQLResolveInfo } from "graphql";
import { KeyedMutex } from "../common/keyed-mutex";
import { clientNetwork } from "./client-network";
import { RATE_LIMIT_RULES, type RateLimitRule } from "./rate-limit-rules";
import type { RateLimitStore } from "./rate-limit-stores";

export interface RateLimitSubject {
  ip: string | null;
  userId?: string;
}

/**
 * Lower-cases string identity arguments, so "Alice" and "alice" share one budget. Copies only
 * along those paths: arguments may hold uploads and other values that cannot be cloned.
 */
function normalizedArgs(args: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  let copy: Record<string, unknown> = args;
  for (const path of paths) {
    const parts = path.split(".");
    copy = { ...copy };
    let node: any = copy;
    for (const part of parts.slice(0, -1)) {
      if (!node[part] || typeof node[part] !== "object") break;
      node[part] = { ...node[part] };
      node = node[part];
    }
    const last = parts[parts.length - 1];
    if (node && typeof node[last] === "string") node[last] = node[last].trim().toLowerCase();
  }
  return copy;
}

/**
 * graphql-rate-limit applied per root field from RATE_LIMIT_RULES. Every alias of a field is
 * one call; calls for one client and field are serialised in-process so that concurrent
 * aliases or batched operations cannot all read the same count before any of them writes.
 */
export class RateLimiter {
  private readonly mutex = new KeyedMutex();
  private readonly limiter;

  constructor(
    private readonly store: RateLimitStore,
    private readonly limits: Record<string, { max: number; windowMs: number } | null>,
  ) {
    this.limiter = getGraphQLRateLimiter({
      store: this.store,
      identifyContext: (subject: { identity: string }) => subject.identity,
    });
  }

  rulesFor(fieldName: string): RateLimitRule[] {
    return RATE_LIMIT_RULES[fieldName] ?? [];
  }

  /** Counts one call; returns the seconds to wait when the call is over a limit. */
  async hit(rule: RateLimitRule, subject: RateLimitSubject, args: Record<string, unknown>, info: GraphQLResolveInfo): Promise<number | undefined> {
    const limit = this.limits[rule.key];
    if (!limit) return undefined; // turned off
    const { max, windowMs } = limit;
    const identity = `${rule.key}:${rule.by === "user" && subject.userId ? `user:${subject.userId}` : `ip:${clientNetwork(subject.ip)}`}`;
    const fieldArgs = normalizedArgs(args, rule.identityArgs ?? []);
    const fieldIdentity = [info.fieldName, ...(rule.identityArgs ?? []).map((path) => path.split(".").reduce<any>((node, part) => node?.[part], fieldArgs))].join(":");
    return this.mutex.run(`${identity}|${fieldIdentity}`, async () => {
      const rejected = await this.limiter(
        { parent: undefined, args: fieldArgs, context: { identity }, info },
        { max, window: `${windowMs}ms`, identityArgs: rule.identityArgs ?? [], uncountRejected: true },
      );
      if (!rejected) return undefined;
      // The wait is until enough of the counted calls leave the window to allow one more.
      const timestamps = [...(await this.store.getForIdentity({ contextIdentity: identity, fieldIdentity }))].sort((a, b) => a - b);
      const freeingCall = timestamps[Math.max(0, timestamps.length - max)] ?? Date.now();
      return Math.max(1, Math.ceil((freeingCall + windowMs - Date.now()) / 1000));
    });
  }
}
