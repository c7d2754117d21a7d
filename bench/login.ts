// Logins per second against the machine's hashing limit, measured in the same run as
// cores / (time of one password verification at the server's settings), for each
// PASSWORD_HASH. `npm run bench -- login [argon2id|bcrypt] [--seconds N]`
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { PasswordHasher } from "../src/credentials/password-hasher";
import type { PasswordHashAlgorithm } from "../src/config";
import { freshDatabase } from "./support/postgres";
import { startLatchkey } from "./support/processes";
import { algorithmsArg, describeLoad, fixed, load, machineLine, ratioLine, secondsArg } from "./support/load";
import { loginBodies, loginSucceeded, PASSWORD, registerUsers, UNLIMITED } from "./support/accounts";

const BCRYPT_COST = Number(process.env.BCRYPT_COST ?? 12);

/** Mean time of one verification, one after another (so each has a core to itself). */
export async function oneHashMs(algorithm: PasswordHashAlgorithm): Promise<number> {
  const hasher = new PasswordHasher({ algorithm, bcryptCost: BCRYPT_COST });
  try {
    const hash = await hasher.hash(PASSWORD);
    for (let i = 0; i < 3; i++) await hasher.verify(PASSWORD, hash);
    const rounds = algorithm === "bcrypt" ? 10 : 30;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await hasher.verify(PASSWORD, hash);
    return (performance.now() - started) / rounds;
  } finally {
    await hasher.close();
  }
}

/**
 * Verifications per second with every core verifying at once and nothing else running: what
 * the hashing limit's "cores / one hash" assumes, measured. Cores that share caches or memory
 * bandwidth (or are hyperthreads of one core) give less than the cores-times figure.
 */
export async function parallelHashesPerSecond(algorithm: PasswordHashAlgorithm, cores: number): Promise<number> {
  const hasher = new PasswordHasher({ algorithm, bcryptCost: BCRYPT_COST });
  try {
    const hash = await hasher.hash(PASSWORD);
    const rounds = algorithm === "bcrypt" ? 4 : 30;
    const lane = async () => {
      for (let i = 0; i < rounds; i++) await hasher.verify(PASSWORD, hash);
    };
    await Promise.all(Array.from({ length: cores }, lane)); // warm-up
    const started = performance.now();
    await Promise.all(Array.from({ length: cores }, lane));
    return (cores * rounds * 1000) / (performance.now() - started);
  } finally {
    await hasher.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const seconds = secondsArg(args, 15);
  const algorithms = algorithmsArg(args);
  const cores = availableParallelism();
  console.log(machineLine());
  for (const algorithm of algorithms) {
    const url = await freshDatabase("latchkey_bench_login");
    const server = await startLatchkey(`login-${algorithm}`, {
      DATABASE_URL: url,
      PASSWORD_HASH: algorithm,
      BCRYPT_COST: String(BCRYPT_COST),
      ...UNLIMITED,
    });
    try {
      const usernames = await registerUsers(server.url, 16);
      const hashMs = await oneHashMs(algorithm);
      const limit = cores / hashMs * 1000;
      const parallel = await parallelHashesPerSecond(algorithm, cores);
      const cpuBefore = server.cpuMs();
      const threadsBefore = server.threadCpuMs();
      const result = await load({
        url: server.url,
        connections: cores * 4,
        seconds,
        nextBody: loginBodies(usernames),
        check: loginSucceeded,
      });
      console.log(`\nlogin, PASSWORD_HASH=${algorithm}${algorithm === "bcrypt" ? ` (cost ${BCRYPT_COST})` : " (m=19 MiB, t=2, p=1)"}`);
      console.log(`  one verification: ${fixed(hashMs)} ms -> hashing limit ${cores} cores / ${fixed(hashMs)} ms = ${fixed(limit)} logins/s`);
      console.log(`  ${cores} verifications at a time, nothing else running: ${fixed(parallel)}/s (${Math.round((100 * parallel) / limit)}% of the hashing limit)`);
      console.log(`  ${describeLoad("logins", result)}`);
      const serverCpuMs = server.cpuMs() - cpuBefore;
      const threadsAfter = server.threadCpuMs();
      const perLogin = (ms: number) => fixed(ms / result.requests, 2);
      console.log(
        `  CPU per login: server ${perLogin(serverCpuMs)} ms (hashing threads included), load generator ` +
          `${perLogin(result.loadGeneratorCpuMs)} ms, PostgreSQL and the rest ${perLogin(result.machineCpuMs - result.loadGeneratorCpuMs - serverCpuMs)} ms; ` +
          `machine ${perLogin(result.machineCpuMs)} ms, of which hashing ${fixed(hashMs, 2)} ms`,
      );
      // The hashes run on libuv's pool; the rest of a login runs on the main thread.
      console.log(
        `  server by thread: main (event loop) ${perLogin(threadsAfter.main - threadsBefore.main)} ms per login, ` +
          `others (hashing pool, V8 helpers) ${perLogin(threadsAfter.others - threadsBefore.others)} ms per login`,
      );
      console.log(`  logins/s versus ${cores} verifications at a time: ${Math.round((100 * result.requestsPerSecond) / parallel)}%`);
      console.log(`  ${ratioLine("logins/s versus the hashing limit", result.requestsPerSecond, limit, 85)}`);
    } finally {
      await server.stop();
    }
  }
}
