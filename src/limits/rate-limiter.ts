import type { GraphQLResolveInfo } from "graphql";
import { clientNetwork } from "./client-network";
import { RATE_LIMIT_RULES, type RateLimitRule } from "./rate-limit-rules";
import type { CallCounter } from "./rate-limit-stores";

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
 * The rules of RATE_LIMIT_RULES applied per root field call. Every alias of a field and every
 * operation of a batch is one call, counted atomically by the CallCounter (in Redis when
 * configured), so simultaneous calls on any number of processes share one count. Windows are
 * fixed: a client's window starts with its first call and its budget is whole again when the
 * window ends.
 */
export class RateLimiter {
  constructor(
    private readonly counter: CallCounter,
    private readonly limits: Record<string, { max: number; windowMs: number } | null>,
  ) {}

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
    const fieldIdentity = [info.fieldName, ...(rule.identityArgs ?? []).map((path) => JSON.stringify(path.split(".").reduce<any>((node, part) => node?.[part], fieldArgs) ?? null))].join(":");
    const waitMs = await this.counter.count(`${identity}|${fieldIdentity}`, max, windowMs);
    return waitMs === undefined ? undefined : Math.max(1, Math.ceil(waitMs / 1000));
  }
}
