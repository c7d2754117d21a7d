// Authenticated `me` per second with a personal access token (the hash lookup joined with the
// user, one statement, no cache), beside the same `me` with a session's JWT, interleaved.
// `npm run bench -- me-pat [--seconds N]`
import { randomBytes } from "node:crypto";
import { freshDatabase } from "./support/postgres";
import { startLatchkey } from "./support/processes";
import { describeLoad, gql, graphqlBody, load, machineLine, secondsArg, type LoadResult } from "./support/load";
import { registerUsers, signIn, UNLIMITED } from "./support/accounts";
import { ME_QUERY } from "./me";

const ROUNDS = 3;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const medianResult = (results: LoadResult[]) => results.find((r) => r.requestsPerSecond === median(results.map((x) => x.requestsPerSecond)))!;

export async function run(args: string[]): Promise<void> {
  const seconds = secondsArg(args, 5);
  console.log(machineLine());
  const url = await freshDatabase("latchkey_bench_me_pat");
  const server = await startLatchkey("me-pat", {
    DATABASE_URL: url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_PREFIX: `latchkey-bench-${randomBytes(4).toString("hex")}:`,
    ...UNLIMITED,
  });
  const [username] = await registerUsers(server.url, 1, "bench_pat");
  const { accessToken } = await signIn(server.url, username);
  const created = await gql(server.url, `mutation { createPersonalAccessToken(name: "bench", scopes: ["read:profile"]) { secret } }`, {}, accessToken);
  const secret = created.createPersonalAccessToken.secret as string;
  const runs: Record<"jwt" | "pat", LoadResult[]> = { jwt: [], pat: [] };
  const targets = { jwt: accessToken, pat: secret };
  try {
    for (const token of Object.values(targets)) {
      await load({ url: server.url, seconds: 2, headers: { authorization: `Bearer ${token}` }, body: graphqlBody(ME_QUERY) });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, token] of Object.entries(targets) as Array<[keyof typeof targets, string]>) {
        runs[name].push(
          await load({
            url: server.url,
            seconds,
            headers: { authorization: `Bearer ${token}` },
            body: graphqlBody(ME_QUERY),
            check: (body) => body.includes(`"username":"${username}"`),
          }),
        );
      }
    }
  } finally {
    await server.stop();
  }
  const perRound = (results: LoadResult[]) => results.map((r) => r.requestsPerSecond.toFixed(0)).join(" / ");
  const jwt = medianResult(runs.jwt);
  const pat = medianResult(runs.pat);
  console.log(`\nme, 10 connections, ${ROUNDS} interleaved rounds of ${seconds} s, one server process (median round shown):`);
  console.log(`  ${describeLoad("me with a personal access token", pat)}   rounds: ${perRound(runs.pat)}`);
  console.log(`  ${describeLoad("me with a session's JWT", jwt)}   rounds: ${perRound(runs.jwt)}`);
  console.log(`  personal access token versus JWT: ${((pat.requestsPerSecond / jwt.requestsPerSecond) * 100).toFixed(0)}%`);
}
