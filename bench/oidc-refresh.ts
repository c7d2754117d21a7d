// Refresh-token grants per second at the OpenID Provider's token endpoint: every request
// presents a live refresh token and gets the next (rotation always on), so the pool stays
// valid. Against a node:http ceiling answering the same JSON, the engine alone (oidc-provider
// with in-memory state: the most a server on this engine reaches), both measured in the same
// run, and Keycloak's published sizing (about 120 grants/s per vCPU).
// `npm run bench -- oidc-refresh [--seconds N]`
import { availableParallelism } from "node:os";
import { describeLoad, load, machineLine, secondsArg } from "./support/load";
import { ID_TOKEN_ALG, KEYCLOAK_PER_VCPU, engineAlone, mintRefreshTokens, startOidcBench, tokenCeiling } from "./support/oidc";

const GOAL_PER_SECOND = 1000;
const CONNECTIONS = 10;

export async function run(args: string[]): Promise<void> {
  const seconds = secondsArg(args, 10);
  console.log(machineLine());
  const bench = await startOidcBench("oidc-refresh");
  try {
    // Twice as many grants as connections: a token is always free for the next request.
    const tokens = await mintRefreshTokens(bench, CONNECTIONS * 2);
    const headers = { "content-type": "application/x-www-form-urlencoded", authorization: bench.authorization };
    const form = (token: string | undefined) => new URLSearchParams({ grant_type: "refresh_token", refresh_token: token ?? "" }).toString();
    const sample = await fetch(`${bench.server.url}/oidc/token`, { method: "POST", headers, body: form(tokens.shift()) });
    const sampleBody = await sample.text();
    if (sample.status !== 200) throw new Error(`token endpoint answered ${sample.status}: ${sampleBody}`);
    tokens.push(JSON.parse(sampleBody).refresh_token);
    const cpuBefore = bench.server.cpuMs();
    const result = await load({
      url: bench.server.url,
      path: "/oidc/token",
      connections: CONNECTIONS,
      seconds,
      headers,
      nextBody: () => form(tokens.shift()),
      onBody: (body) => {
        const next = /"refresh_token":"([^"]+)"/.exec(body)?.[1];
        if (next) tokens.push(next);
      },
      check: (body) => body.includes('"refresh_token"'),
    });
    const cpuPerRequest = (bench.server.cpuMs() - cpuBefore) / result.requests;
    const ceiling = await tokenCeiling("oidc-refresh", sampleBody, seconds, CONNECTIONS);
    const engine = await engineAlone("oidc-refresh", "refresh_token", seconds, CONNECTIONS);
    const keycloak = KEYCLOAK_PER_VCPU * availableParallelism();
    console.log(`\nrefresh_token grants (rotating, ${ID_TOKEN_ALG ?? "RS256"} ID tokens), ${CONNECTIONS} connections, ${seconds} s:`);
    console.log(`  ${describeLoad("refresh_token at /oidc/token", result)}`);
    console.log(`  ${describeLoad("ceiling: node:http, same JSON", ceiling)}`);
    console.log(`  ${describeLoad("engine alone: oidc-provider, no database", engine)}`);
    console.log(`  server CPU per grant ${cpuPerRequest.toFixed(2)} ms; the engine alone ${engine.cpuPerGrantMs.toFixed(2)} ms`);
    console.log(`  ${((result.requestsPerSecond / engine.requestsPerSecond) * 100).toFixed(0)}% of the engine alone`);
    console.log(
      `  ${result.requestsPerSecond.toFixed(0)} grants/s = ${((result.requestsPerSecond / ceiling.requestsPerSecond) * 100).toFixed(0)}% of the ceiling, ` +
        `${(result.requestsPerSecond / keycloak).toFixed(1)}x Keycloak's sizing for ${availableParallelism()} vCPUs (${keycloak}/s); ` +
        `goal >= ${GOAL_PER_SECOND}/s: ${result.requestsPerSecond >= GOAL_PER_SECOND ? "met" : "NOT met"}`,
    );
  } finally {
    await bench.stop();
  }
}
