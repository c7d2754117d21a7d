// Authenticated `me` per second (token verification, revocation check, user load) against
// ceilings measured in the same run: the same Apollo Server (this server, its whole stack)
// answering a trivial query from memory, a bare Apollo Server answering a trivial `me` from
// memory (and the same with graphql-jit as its executor, and without express), and a plain node:http server
// returning the same JSON.
// `npm run bench -- me [--seconds N]`
import { randomBytes } from "node:crypto";
import { freshDatabase } from "./support/postgres";
import { startLatchkey, startProcess } from "./support/processes";
import { describeLoad, gql, graphqlBody, load, machineLine, ratioLine, secondsArg, type LoadResult } from "./support/load";
import { registerUsers, signIn, UNLIMITED } from "./support/accounts";

export const ME_QUERY = `{ me { id username email role } }`;
/** Public and answered from constants: this server's stack with no token, session or user. */
export const TRIVIAL_QUERY = `{ passwordPolicy { minLength maxLength } }`;

const ROUNDS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The median of several runs, so one noisy stretch of the machine does not decide the ratio. */
function medianResult(results: LoadResult[]): LoadResult {
  return results.find((r) => r.requestsPerSecond === median(results.map((x) => x.requestsPerSecond)))!;
}

export async function run(args: string[]): Promise<void> {
  const seconds = secondsArg(args, 5);
  console.log(machineLine());
  const url = await freshDatabase("latchkey_bench_me");
  const server = await startLatchkey("me", {
    DATABASE_URL: url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_PREFIX: `latchkey-bench-${randomBytes(4).toString("hex")}:`,
    ...UNLIMITED,
  });
  const [username] = await registerUsers(server.url, 1, "bench_me");
  const { accessToken } = await signIn(server.url, username);
  const meJson = JSON.stringify((await gql(server.url, ME_QUERY, {}, accessToken)).me);
  const apollo = await startProcess("me-trivial-apollo", "bench/ceilings/trivial-apollo.ts", { ME_JSON: meJson });
  const apolloJit = await startProcess("me-trivial-apollo-jit", "bench/ceilings/trivial-apollo.ts", { ME_JSON: meJson, EXECUTOR: "jit" });
  const apolloHttp = await startProcess("me-trivial-apollo-http", "bench/ceilings/trivial-apollo.ts", { ME_JSON: meJson, FRONT: "http" });
  const plain = await startProcess("me-plain-http", "bench/ceilings/plain-http.ts", { ME_JSON: meJson });
  const runs: Record<"latchkey" | "stack" | "apollo" | "apolloJit" | "apolloHttp" | "plain", LoadResult[]> = {
    latchkey: [], stack: [], apollo: [], apolloJit: [], apolloHttp: [], plain: [],
  };
  try {
    // A short warm-up each (the JIT's first seconds), then interleaved rounds: each target is
    // measured under the same conditions as the others.
    for (const [target, headers, query] of [
      [server.url, { authorization: `Bearer ${accessToken}` }, ME_QUERY],
      [server.url, {}, TRIVIAL_QUERY],
      [apollo.url, {}, ME_QUERY],
      [apolloJit.url, {}, ME_QUERY],
      [apolloHttp.url, {}, ME_QUERY],
      [plain.url, {}, ME_QUERY],
    ] as const) {
      await load({ url: target, seconds: 2, headers, body: graphqlBody(query) });
    }
    for (let round = 0; round < ROUNDS; round++) {
      runs.latchkey.push(
        await load({
          url: server.url,
          seconds,
          headers: { authorization: `Bearer ${accessToken}` },
          body: graphqlBody(ME_QUERY),
          check: (body) => body.includes(`"username":"${username}"`),
        }),
      );
      runs.stack.push(
        await load({ url: server.url, seconds, body: graphqlBody(TRIVIAL_QUERY), check: (body) => body.includes(`"minLength"`) }),
      );
      runs.apollo.push(await load({ url: apollo.url, seconds, body: graphqlBody(ME_QUERY), check: (body) => body.includes(meJson) }));
      runs.apolloJit.push(await load({ url: apolloJit.url, seconds, body: graphqlBody(ME_QUERY), check: (body) => body.includes(meJson) }));
      runs.apolloHttp.push(await load({ url: apolloHttp.url, seconds, body: graphqlBody(ME_QUERY), check: (body) => body.includes(meJson) }));
      runs.plain.push(await load({ url: plain.url, seconds, body: graphqlBody(ME_QUERY), check: (body) => body.includes(meJson) }));
    }
  } finally {
    await Promise.all([server.stop(), apollo.stop(), apolloJit.stop(), apolloHttp.stop(), plain.stop()]);
  }
  const latchkey = medianResult(runs.latchkey);
  const stack = medianResult(runs.stack);
  const trivial = medianResult(runs.apollo);
  const jit = medianResult(runs.apolloJit);
  const noExpress = medianResult(runs.apolloHttp);
  const bare = medianResult(runs.plain);
  const perRound = (results: LoadResult[]) => results.map((r) => r.requestsPerSecond.toFixed(0)).join(" / ");
  console.log(`\nme, 10 connections, ${ROUNDS} interleaved rounds of ${seconds} s, one server process each (median round shown):`);
  console.log(`  ${describeLoad("Latchkey me (JWT, session, user)", latchkey)}   rounds: ${perRound(runs.latchkey)}`);
  console.log(`  ${describeLoad("ceiling: same server, trivial query", stack)}   rounds: ${perRound(runs.stack)}`);
  console.log(`  ${describeLoad("ceiling: bare Apollo, trivial me", trivial)}   rounds: ${perRound(runs.apollo)}`);
  console.log(`  ${describeLoad("bare Apollo, graphql-jit executor", jit)}   rounds: ${perRound(runs.apolloJit)}`);
  console.log(`  ${describeLoad("bare Apollo on node:http, no express", noExpress)}   rounds: ${perRound(runs.apolloHttp)}`);
  console.log(`  ${describeLoad("ceiling: node:http, same JSON", bare)}   rounds: ${perRound(runs.plain)}`);
  console.log(`  ${ratioLine("me versus the same server's trivial query", latchkey.requestsPerSecond, stack.requestsPerSecond, 70)}`);
  console.log(
    `  me versus bare Apollo: ${((latchkey.requestsPerSecond / trivial.requestsPerSecond) * 100).toFixed(0)}%; ` +
      `the same server's stack versus bare Apollo: ${((stack.requestsPerSecond / trivial.requestsPerSecond) * 100).toFixed(0)}%`,
  );
  console.log(
    `  graphql-jit behind Apollo's executor hook versus Apollo's own executor: ${((jit.requestsPerSecond / trivial.requestsPerSecond) * 100).toFixed(0)}%`,
  );
  console.log(
    `  Apollo straight on node:http versus Apollo behind express: ${((noExpress.requestsPerSecond / trivial.requestsPerSecond) * 100).toFixed(0)}%`,
  );
  console.log(`  me versus node:http: ${((latchkey.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0)}%`);
}
