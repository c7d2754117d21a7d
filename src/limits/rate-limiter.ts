import type { GraphQLResolveInfo } from "graphql";
import { clientNetwork } from "./client-network";
import { RATE_LIMIT_RULES, type RateLimitRule } from "./rate-limit-rules";
import type { CallCounter } from "./call-counters";

export interface RateLimitSubject {
  ip: string | null;
  userId?: string;
}

type ArgNode = Record<string, unknown>;

/**
 * Lower-cases string identity arguments, so "Alice" and "alice" share one budget. Copies only
 * along those paths: arguments may hold uploads and other values that cannot be cloned.
 */
function normalizedArgs(args: ArgNode, paths: string[]): ArgNode {
  let copy: ArgNode = args;
  for (const path of paths) {
    const parts = path.split(".");
    copy = { ...copy };
    let node: ArgNode = copy;
    for (const part of parts.slice(0, -1)) {
      const child = node[part];
      if (!child || typeof child !== "object") break;
      node[part] = { ...(child as ArgNode) };
      node = node[part] as ArgNode;
    }
    const last = parts[parts.length - 1];
    const value = node[last];
    if (typeof value === "string") node[last] = value.trim().toLowerCase();
  }
  return copy;
}

/** The value at a dotted path of the arguments, or undefined. */
function argAt(args: ArgNode, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node == null ? undefined : (node as ArgNode)[part]), args);
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
    const fieldIdentity = [info.fieldName, ...(rule.identityArgs ?? []).map((path) => JSON.stringify(argAt(fieldArgs, path) ?? null))].join(":");
    const waitMs = await this.counter.count(`${identity}|${fieldIdentity}`, max, windowMs);
    return waitMs === undefined ? undefined : Math.max(1, Math.ceil(waitMs / 1000));
  }
}
