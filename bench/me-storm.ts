// p99 of `me` while logins saturate the hashing pool, for each PASSWORD_HASH.
// `npm run bench -- me-storm [argon2id|bcrypt] [--seconds N]`
import { availableParallelism } from "node:os";
import { randomBytes } from "node:crypto";
import { freshDatabase } from "./support/postgres";
import { startLatchkey } from "./support/processes";
import { algorithmsArg, describeLoad, fixed, graphqlBody, load, machineLine, secondsArg } from "./support/load";
import { loginBodies, loginSucceeded, registerUsers, signIn, UNLIMITED } from "./support/accounts";
import { ME_QUERY } from "./me";

const ME_RATE = 100;
const P99_GOAL_MS = 50;

export async function run(args: string[]): Promise<void> {
  const seconds = secondsArg(args, 15);
  const algorithms = algorithmsArg(args);
  const cores = availableParallelism();
  console.log(machineLine());
  for (const algorithm of algorithms) {
    const url = await freshDatabase("latchkey_bench_storm");
    const server = await startLatchkey(`me-storm-${algorithm}`, {
      DATABASE_URL: url,
      PASSWORD_HASH: algorithm,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      REDIS_PREFIX: `latchkey-bench-${randomBytes(4).toString("hex")}:`,
      ...UNLIMITED,
    });
    try {
      const usernames = await registerUsers(server.url, 16, "storm");
      const { accessToken } = await signIn(server.url, usernames[0]);
      const me = (body: string) => body.includes(`"username":"${usernames[0]}"`);
      const meAlone = await load({
        url: server.url,
        seconds: 5,
        rate: ME_RATE,
        connections: 4,
        headers: { authorization: `Bearer ${accessToken}` },
        body: graphqlBody(ME_QUERY),
        check: me,
      });
      // The storm runs a little longer than the measured `me` traffic on both sides.
      const storm = load({ url: server.url, connections: cores * 4, seconds: seconds + 2, nextBody: loginBodies(usernames), check: loginSucceeded });
      const meDuringStorm = await load({
        url: server.url,
        seconds,
        rate: ME_RATE,
        connections: 4,
        headers: { authorization: `Bearer ${accessToken}` },
        body: graphqlBody(ME_QUERY),
        check: me,
      });
      const logins = await storm;
      console.log(`\nme at ${ME_RATE}/s during a login storm, PASSWORD_HASH=${algorithm}:`);
      console.log(`  ${describeLoad("me alone", meAlone)}`);
      console.log(`  ${describeLoad("logins (the storm)", logins)}`);
      console.log(`  ${describeLoad("me during the storm", meDuringStorm)}`);
      console.log(
        `  p99 of me during the storm: ${fixed(meDuringStorm.p99)} ms (goal < ${P99_GOAL_MS} ms): ${meDuringStorm.p99 < P99_GOAL_MS ? "met" : "NOT met"}`,
      );
    } finally {
      await server.stop();
    }
  }
}
