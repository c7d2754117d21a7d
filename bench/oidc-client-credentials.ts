// Client-credentials grants per second at the OpenID Provider's token endpoint (secret checked,
// token stored), against a node:http ceiling answering the same JSON and the engine alone
// (oidc-provider with in-memory state), both measured in the same run, and Keycloak's published
// sizing (about 120 grants/s per vCPU).
// `npm run bench -- oidc-client-credentials [--seconds N]`
import { availableParallelism } from "node:os";
import { describeLoad, load, machineLine, secondsArg } from "./support/load";
import { KEYCLOAK_PER_VCPU, engineAlone, startOidcBench, tokenCeiling } from "./support/oidc";

const GOAL_PER_SECOND = 1000;
const CONNECTIONS = 10;

export async function run(args: string[]): Promise<void> {
  const seconds = secondsArg(args, 10);
  console.log(machineLine());
  const bench = await startOidcBench("oidc-client-credentials");
  try {
    const form = "grant_type=client_credentials";
    const headers = { "content-type": "application/x-www-form-urlencoded", authorization: bench.authorization };
    const sample = await fetch(`${bench.server.url}/oidc/token`, { method: "POST", headers, body: form });
    const sampleBody = await sample.text();
    if (sample.status !== 200) throw new Error(`token endpoint answered ${sample.status}: ${sampleBody}`);
    const cpuBefore = bench.server.cpuMs();
    const result = await load({
      url: bench.server.url,
      path: "/oidc/token",
      connections: CONNECTIONS,
      seconds,
      headers,
      body: form,
      check: (body) => body.includes('"access_token"'),
    });
    const cpuPerRequest = (bench.server.cpuMs() - cpuBefore) / result.requests;
    const ceiling = await tokenCeiling("oidc-client-credentials", sampleBody, seconds, CONNECTIONS);
    const engine = await engineAlone("oidc-client-credentials", "client_credentials", seconds, CONNECTIONS);
    const keycloak = KEYCLOAK_PER_VCPU * availableParallelism();
    console.log(`\nclient_credentials grants, ${CONNECTIONS} connections, ${seconds} s:`);
    console.log(`  ${describeLoad("client_credentials at /oidc/token", result)}`);
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
