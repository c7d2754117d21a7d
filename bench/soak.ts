// `npm run soak -- --minutes N [--rate R] [--capacity-seconds S]`: a mixed workload (register,
// login, me, refresh, updateProfile, searchUsers, logout) against a server it starts on
// PostgreSQL and Redis. Without --rate it first measures the capacity of this mix (closed loop,
// as fast as the server answers) and then runs at 70% of it. Every minute it prints errors by
// code, p50/p99 per operation and the server's resident memory; at the end, the trends.
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { RATE_LIMIT_KEYS } from "../src/limits/rate-limit-rules";
import { freshDatabase } from "./support/postgres";
import { startLatchkey, type BenchProcess } from "./support/processes";
import { fixed, machineLine } from "./support/load";
import { PASSWORD, registerUsers, signIn } from "./support/accounts";

type Operation = "register" | "login" | "me" | "refresh" | "updateProfile" | "searchUsers" | "logout";

/** Share of each operation in the mix: mostly reads and refreshes, as real clients send. */
const MIX: Array<[Operation, number]> = [
  ["me", 45],
  ["refresh", 15],
  ["updateProfile", 10],
  ["searchUsers", 10],
  ["login", 8],
  ["logout", 7],
  ["register", 5],
];
const ADMIN = { username: "soak_admin", password: "soak-admin-password-2024" };
const MAX_IN_FLIGHT = 200;

interface Session {
  accessToken: string;
  refreshToken: string;
  busy: boolean;
}

interface Outcome {
  operation: Operation;
  ms: number;
  /** "ok", a GraphQL error code, "HTTP 5xx" or a transport error. */
  result: string;
}

const QUERIES: Record<Operation, string> = {
  register: `mutation ($input: RegisterInput!) { register(input: $input) { userId } }`,
  login: `mutation ($input: LoginInput!) { login(input: $input) { ... on AuthPayload { accessToken refreshToken } } }`,
  me: `{ me { id username email role } }`,
  refresh: `mutation ($token: String) { refreshSession(refreshToken: $token) { accessToken refreshToken } }`,
  updateProfile: `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`,
  searchUsers: `query ($filter: UserSearchFilter) { searchUsers(filter: $filter, first: 20) { totalCount edges { node { id } } } }`,
  logout: `mutation { logout }`,
};

const FRAGMENTS = ["ann", "ben", "soak", "er", "an", "li", "mar", "son", "_1", "_2"];
const NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Barbara Liskov", "Edsger Dijkstra", "Frances Allen"];

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

function pickOperation(): Operation {
  const total = MIX.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = Math.random() * total;
  for (const [operation, weight] of MIX) if ((roll -= weight) < 0) return operation;
  return "me";
}

function argValue(args: string[], name: string): number | undefined {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

/** The workload: a pool of signed-in sessions that operations use, rotate, end and add to. */
class Workload {
  private readonly sessions: Session[] = [];
  private readonly usernames: string[];
  private adminToken = "";
  private registered = 0;
  private readonly runId = randomBytes(3).toString("hex");

  constructor(private readonly url: string, usernames: string[]) {
    this.usernames = [...usernames];
  }

  async prepare(): Promise<void> {
    this.adminToken = (await signIn(this.url, ADMIN.username, ADMIN.password)).accessToken;
    for (const username of this.usernames.slice(0, 40)) this.sessions.push({ ...(await signIn(this.url, username)), busy: false });
  }

  private freeSession(): Session | undefined {
    for (let tries = 0; tries < 8; tries++) {
      const session = pick(this.sessions);
      if (session && !session.busy) return session;
    }
    return undefined;
  }

  async run(operation: Operation): Promise<Outcome> {
    const started = performance.now();
    let session: Session | undefined;
    let variables: Record<string, unknown> = {};
    let token: string | undefined;
    switch (operation) {
      case "register": {
        const username = `soak_${this.runId}_${this.registered++}`;
        variables = { input: { username, password: PASSWORD, secretPasskey: "soak offline words 7" } };
        break;
      }
      case "login":
        variables = { input: { identifier: pick(this.usernames), password: PASSWORD, expiresInMinutes: 120 } };
        break;
      case "searchUsers":
        token = this.adminToken;
        variables = { filter: { query: pick(FRAGMENTS) } };
        break;
      default:
        session = this.freeSession();
        if (!session) return this.run("me" === operation ? "login" : "me");
        session.busy = true;
        token = session.accessToken;
        if (operation === "refresh") variables = { token: session.refreshToken };
        if (operation === "updateProfile") variables = { input: { name: pick(NAMES), occupation: pick(["pilot", "baker", "nurse"]) } };
    }
    let result = "ok";
    try {
      const response = await fetch(`${this.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: QUERIES[operation], variables }),
        signal: AbortSignal.timeout(30_000),
      });
      if (response.status >= 500) result = `HTTP ${response.status}`;
      const body = (await response.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
      if (body.errors?.length) result = body.errors[0].extensions?.code ?? "(no code)";
      else this.apply(operation, session, variables, body.data);
    } catch (error) {
      result = (error as Error).name;
    } finally {
      if (session) session.busy = false;
    }
    return { operation, ms: performance.now() - started, result };
  }

  /** Keeps the pool in step with what the server now knows. */
  private apply(operation: Operation, session: Session | undefined, variables: Record<string, any>, data: any): void {
    if (operation === "register") this.usernames.push(variables.input.username);
    if (operation === "login" && data?.login?.accessToken && this.sessions.length < 400) this.sessions.push({ ...data.login, busy: false });
    if (operation === "refresh" && session) Object.assign(session, data.refreshSession);
    if (operation === "logout" && session && this.sessions.length > 20) this.sessions.splice(this.sessions.indexOf(session), 1);
  }
}

/** Closed loop: `concurrency` callers, each sending the next request when the last is answered. */
async function measureCapacity(workload: Workload, seconds: number, concurrency: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await workload.run(pickOperation());
        done++;
      }
    }),
  );
  return done / seconds;
}

interface Minute {
  outcomes: Outcome[];
  rssBytes: number;
  cpuMs: number;
  /** The lowest V8 heap in use seen this minute (sampled every 5 s): the floor after collections. */
  heapFloorBytes: number;
}

/** nodejs_heap_size_used_bytes from the server's own /metrics. */
async function heapUsedBytes(url: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const line = text.split("\n").find((l) => l.startsWith("nodejs_heap_size_used_bytes "));
    return line ? Number(line.split(" ")[1]) : undefined;
  } catch {
    return undefined;
  }
}

function printMinute(index: number, minute: Minute, previousCpuMs: number): void {
  const errors = new Map<string, number>();
  for (const outcome of minute.outcomes) if (outcome.result !== "ok") errors.set(outcome.result, (errors.get(outcome.result) ?? 0) + 1);
  const parts = MIX.map(([operation]) => {
    const times = minute.outcomes.filter((o) => o.operation === operation).map((o) => o.ms).sort((a, b) => a - b);
    return `${operation} ${fixed(percentile(times, 50), 0)}/${fixed(percentile(times, 99), 0)}`;
  });
  const cpu = ((minute.cpuMs - previousCpuMs) / 60_000) * 100;
  console.log(
    `minute ${String(index + 1).padStart(2)}: ${minute.outcomes.length} requests, errors ${errors.size ? JSON.stringify(Object.fromEntries(errors)) : "none"}, ` +
      `server rss ${fixed(minute.rssBytes / 2 ** 20, 0)} MiB, heap floor ${fixed(minute.heapFloorBytes / 2 ** 20, 1)} MiB, server cpu ${fixed(cpu, 0)}%\n` +
      `           p50/p99 ms: ${parts.join(", ")}`,
  );
}

export async function run(args: string[]): Promise<void> {
  const minutes = argValue(args, "minutes") ?? 10;
  const capacitySeconds = argValue(args, "capacity-seconds") ?? 30;
  console.log(machineLine());
  const url = await freshDatabase("latchkey_bench_soak");
  const server: BenchProcess = await startLatchkey("soak", {
    DATABASE_URL: url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_PREFIX: `latchkey-soak-${randomBytes(4).toString("hex")}:`,
    SESSION_IDLE_TIMEOUT: "1h",
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    ...Object.fromEntries(RATE_LIMIT_KEYS.map((key) => [`RATE_LIMIT_${key}`, "off"])),
  });
  try {
    const usernames = await registerUsers(server.url, 100, "soak");
    const workload = new Workload(server.url, usernames);
    await workload.prepare();

    let rate = argValue(args, "rate");
    if (!rate) {
      const capacity = await measureCapacity(workload, capacitySeconds, 16);
      rate = Math.max(1, Math.round(capacity * 0.7));
      console.log(`capacity of the mix: ${fixed(capacity)} requests/s (closed loop, 16 callers, ${capacitySeconds} s); soaking at 70%: ${rate}/s`);
    }
    console.log(`soak: ${minutes} min at ${rate} requests/s, mix ${MIX.map(([o, w]) => `${o} ${w}%`).join(", ")}`);

    const history: Minute[] = [];
    let current: Outcome[] = [];
    let inFlight = 0;
    let skipped = 0;
    let cpuAtMinuteStart = server.cpuMs();
    let heapFloor = Infinity;
    const sampler = setInterval(() => {
      void heapUsedBytes(server.url).then((bytes) => {
        if (bytes !== undefined) heapFloor = Math.min(heapFloor, bytes);
      });
    }, 5_000);
    const start = performance.now();
    let sent = 0;
    // Open loop: requests go out on schedule whether or not earlier ones were answered.
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const elapsed = performance.now() - start;
        const due = Math.floor((elapsed / 1000) * rate!) - sent;
        for (let i = 0; i < due; i++) {
          sent++;
          if (inFlight >= MAX_IN_FLIGHT) {
            skipped++;
            continue;
          }
          inFlight++;
          void workload.run(pickOperation()).then((outcome) => {
            inFlight--;
            current.push(outcome);
          });
        }
        if (elapsed >= (history.length + 1) * 60_000) {
          const minute = { outcomes: current, rssBytes: server.rssBytes(), cpuMs: server.cpuMs(), heapFloorBytes: heapFloor };
          heapFloor = Infinity;
          printMinute(history.length, minute, cpuAtMinuteStart);
          cpuAtMinuteStart = minute.cpuMs;
          history.push(minute);
          current = [];
          if (history.length >= minutes) {
            clearInterval(tick);
            clearInterval(sampler);
            resolve();
          }
        }
      }, 5);
    });

    const all = history.flatMap((m) => m.outcomes);
    const serverErrors = all.filter((o) => o.result.startsWith("HTTP 5") || o.result === "INTERNAL_SERVER_ERROR").length;
    const p99 = (m: Minute) => percentile(m.outcomes.map((o) => o.ms).sort((a, b) => a - b), 99);
    const warm = history[Math.min(1, history.length - 1)];
    const last = history[history.length - 1];
    const afterWarmUp = history.slice(history.indexOf(warm));
    const growth = (from: number, to: number) => `${fixed(((to - from) / from) * 100)}%`;
    const rss = afterWarmUp.map((m) => m.rssBytes / 2 ** 20);
    console.log(`\nsummary: ${all.length} requests in ${minutes} min, ${serverErrors} answered 5xx or INTERNAL_SERVER_ERROR, ${skipped} not sent (over ${MAX_IN_FLIGHT} in flight)`);
    console.log(`p99 over all operations by minute (ms): ${history.map((m) => fixed(p99(m), 0)).join(" ")}`);
    console.log(
      `V8 heap floor after warm-up (minute ${history.indexOf(warm) + 1}): ${fixed(warm.heapFloorBytes / 2 ** 20, 1)} MiB, last minute: ` +
        `${fixed(last.heapFloorBytes / 2 ** 20, 1)} MiB, growth ${growth(warm.heapFloorBytes, last.heapFloorBytes)} (goal < 10%)`,
    );
    console.log(
      `resident memory after warm-up: ${fixed(Math.min(...rss), 0)}-${fixed(Math.max(...rss), 0)} MiB across minutes, ` +
        `${fixed(rss[0], 0)} MiB at minute ${history.indexOf(warm) + 1}, ${fixed(rss[rss.length - 1], 0)} MiB at the end (${growth(rss[0], rss[rss.length - 1])})`,
    );
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
