// autocannon runs and the figures every scenario prints.
import autocannon from "autocannon";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

/** Busy and total jiffies of all cores, from /proc/stat. */
function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4];
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx responses, connection errors, timeouts and bodies that failed the check. */
  failures: number;
  /** How busy the whole machine was during the run (every process, every core). */
  machineBusyPercent: number;
  /** CPU time the whole machine spent during the run, and the share of this process (the load generator). */
  machineCpuMs: number;
  loadGeneratorCpuMs: number;
}

export interface LoadOptions {
  url: string;
  /** Path POSTed to; /graphql unless set. */
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  connections?: number;
  seconds?: number;
  /** Requests per second over all connections; unset means as fast as the server answers. */
  rate?: number;
  /** A response body that is not right counts as a failure. */
  check?: (body: string) => boolean;
  /** Builds each request's body (e.g. from a pool of refresh tokens). */
  nextBody?: () => string;
  onBody?: (body: string) => void;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const { check, nextBody, onBody } = options;
  const before = cpuTimes();
  const ownBefore = process.cpuUsage();
  const result = await autocannon({
    url: `${options.url}${options.path ?? "/graphql"}`,
    method: "POST",
    connections: options.connections ?? 10,
    duration: options.seconds ?? 10,
    overallRate: options.rate,
    headers: { "content-type": "application/json", ...options.headers },
    body: options.body,
    requests:
      nextBody || onBody
        ? [
            {
              setupRequest: (request: any) => (nextBody ? { ...request, body: nextBody() } : request),
              onResponse: (_status: number, body: string) => onBody?.(body),
            },
          ]
        : undefined,
    verifyBody: check,
  } as autocannon.Options);
  const after = cpuTimes();
  const own = process.cpuUsage(ownBefore);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts + (result.mismatches ?? 0),
    machineBusyPercent: ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * 100,
    machineCpuMs: (after.busy - before.busy) * 10, // USER_HZ is 100 on Linux
    loadGeneratorCpuMs: (own.user + own.system) / 1000,
  };
}

export const graphqlBody = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

/** POSTs one operation and returns `data`; throws on GraphQL errors. */
export async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: graphqlBody(query, variables),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export const fixed = (value: number, digits = 1) => value.toFixed(digits);

export function describeLoad(label: string, result: LoadResult): string {
  return (
    `${label.padEnd(44)} ${fixed(result.requestsPerSecond, 0).padStart(7)} req/s  p50 ${fixed(result.p50)} ms  ` +
    `p99 ${fixed(result.p99)} ms  (${result.requests} requests, ${result.failures} failed, machine ${fixed(result.machineBusyPercent, 0)}% busy)`
  );
}

/** "x is N% of the ceiling (goal >= G%): met/NOT met". */
export function ratioLine(label: string, value: number, ceiling: number, goalPercent: number): string {
  const percent = (value / ceiling) * 100;
  return `${label}: ${fixed(percent, 0)}% of the ceiling (goal >= ${goalPercent}%): ${percent >= goalPercent ? "met" : "NOT met"}`;
}

export function machineLine(): string {
  return `machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), node ${process.version}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")}`;
}

/** Optional `--seconds N` argument shared by the scenarios. */
export function secondsArg(args: string[], fallback: number): number {
  const at = args.indexOf("--seconds");
  const value = at >= 0 ? Number(args[at + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The PASSWORD_HASH settings named in the arguments, or both. */
export function algorithmsArg(args: string[]): Array<"argon2id" | "bcrypt"> {
  const named = (["argon2id", "bcrypt"] as const).filter((algorithm) => args.includes(algorithm));
  return named.length > 0 ? [...named] : ["argon2id", "bcrypt"];
}
