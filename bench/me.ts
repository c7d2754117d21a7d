// Authenticated `me` per second (token verification, revocation check, user load) against two
// ceilings measured in the same run: the same Apollo Server answering a trivial `me` from
// memory, and a plain node:http server returning the same JSON.
// `npm run bench -- me [--seconds N]`
import { randomBytes } from "node:crypto";
import { freshDatabase } from "./support/postgres";
import { startLatchkey, startProcess } from "./support/processes";
import { describeLoad, gql, graphqlBody, load, machineLine, ratioLine, secondsArg, type LoadResult } from "./support/load";
import { registerUsers, signIn, UNLIMITED } from "./support/accounts";

export const ME_QUERY = `{ me { id username email role } }`;

const ROUNDS = 3;

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
  const plain = await startProcess("me-plain-http", "bench/ceilings/plain-http.ts", { ME_JSON: meJson });
  const runs: Record<"latchkey" | "apollo" | "plain", LoadResult[]> = { latchkey: [], apollo: [], plain: [] };
  try {
    // Interleaved rounds: each target is measured under the same conditions as the others.
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
      runs.apollo.push(await load({ url: apollo.url, seconds, body: graphqlBody(ME_QUERY), check: (body) => body.includes(meJson) }));
      runs.plain.push(await load({ url: plain.url, seconds, body: graphqlBody(ME_QUERY), check: (body) => body.includes(meJson) }));
    }
  } finally {
    await Promise.all([server.stop(), apollo.stop(), plain.stop()]);
  }
  const latchkey = medianResult(runs.latchkey);
  const trivial = medianResult(runs.apollo);
  const bare = medianResult(runs.plain);
  const perRound = (results: LoadResult[]) => results.map((r) => r.requestsPerSecond.toFixed(0)).join(" / ");
  console.log(`\nme, 10 connections, ${ROUNDS} interleaved rounds of ${seconds} s, one server process each (median round shown):`);
  console.log(`  ${describeLoad("Latchkey me (JWT, session, user)", latchkey)}   rounds: ${perRound(runs.latchkey)}`);
  console.log(`  ${describeLoad("ceiling: Apollo, trivial me from memory", trivial)}   rounds: ${perRound(runs.apollo)}`);
  console.log(`  ${describeLoad("ceiling: node:http, same JSON", bare)}   rounds: ${perRound(runs.plain)}`);
  console.log(`  ${ratioLine("me versus trivial Apollo", latchkey.requestsPerSecond, trivial.requestsPerSecond, 70)}`);
  console.log(`  me versus node:http: ${((latchkey.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0)}%`);
}
