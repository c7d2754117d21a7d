// refreshSession per second: every request presents a live refresh token and gets the next
// one (rotation), so the pool of tokens stays valid through the run.
// `npm run bench -- refresh [--seconds N]`
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { freshDatabase } from "./support/postgres";
import { startLatchkey } from "./support/processes";
import { describeLoad, graphqlBody, load, machineLine, secondsArg } from "./support/load";
import { registerUsers, signIn, UNLIMITED } from "./support/accounts";

const REFRESH = `mutation ($token: String) { refreshSession(refreshToken: $token) { accessToken refreshToken } }`;
const GOAL_PER_SECOND = 1000;
const CONNECTIONS = 10;

export async function run(args: string[]): Promise<void> {
  const seconds = secondsArg(args, 10);
  console.log(machineLine());
  const url = await freshDatabase("latchkey_bench_refresh");
  const server = await startLatchkey("refresh", {
    DATABASE_URL: url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_PREFIX: `latchkey-bench-${randomBytes(4).toString("hex")}:`,
    // One server process unless BENCH_WORKERS says more (WORKERS=N, node:cluster).
    WORKERS: process.env.BENCH_WORKERS ?? "1",
    ...UNLIMITED,
  });
  try {
    const usernames = await registerUsers(server.url, 4, "refresh");
    // Twice as many sessions as connections: a token is always free for the next request.
    const tokens: string[] = [];
    for (let i = 0; i < CONNECTIONS * 2; i++) tokens.push((await signIn(server.url, usernames[i % usernames.length])).refreshToken);
    const cpuBefore = server.cpuMs();
    const result = await load({
      url: server.url,
      connections: CONNECTIONS,
      seconds,
      nextBody: () => graphqlBody(REFRESH, { token: tokens.shift() }),
      onBody: (body) => {
        const next = /"refreshToken":"([^"]+)"/.exec(body)?.[1];
        if (next) tokens.push(next);
      },
      check: (body) => body.includes('"refreshToken"'),
    });
    const cpuPerRequest = (server.cpuMs() - cpuBefore) / result.requests;
    console.log(`\nrefreshSession, ${CONNECTIONS} connections, ${seconds} s:`);
    console.log(`  ${describeLoad("refreshSession", result)}`);
    const perRequest = (ms: number) => (ms / result.requests).toFixed(2);
    console.log(
      `  CPU per refresh: server ${cpuPerRequest.toFixed(2)} ms, load generator ${perRequest(result.loadGeneratorCpuMs)} ms, ` +
        `PostgreSQL, Redis and the rest ${perRequest(result.machineCpuMs - result.loadGeneratorCpuMs - cpuPerRequest * result.requests)} ms; ` +
        `machine ${perRequest(result.machineCpuMs)} ms of ${((availableParallelism() * 1000) / result.requestsPerSecond).toFixed(2)} available`,
    );
    console.log(
      `  ${result.requestsPerSecond.toFixed(0)} refreshes/s (goal >= ${GOAL_PER_SECOND}/s): ${result.requestsPerSecond >= GOAL_PER_SECOND ? "met" : "NOT met"}`,
    );
  } finally {
    await server.stop();
  }
}
