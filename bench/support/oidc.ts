// What the OpenID Provider scenarios share: a server process on a fresh database with one
// confidential client, and users' refresh tokens minted through the engine in this process.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomToken, sha256 } from "../../src/common/tokens";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { authorizeWithEngine } from "../../test/support/oidc-engine-flow";
import { freshDatabase, withClient } from "./postgres";
import { startLatchkey, startProcess, type BenchProcess } from "./processes";
import { registerUsers, UNLIMITED } from "./accounts";
import { load, type LoadResult } from "./load";

export const BENCH_APP_SECRET = "bench-secret-bench-secret-bench-secret-000";
const REDIRECT_URI = "http://127.0.0.1:5599/callback";
/** BENCH_ID_TOKEN_ALG=EdDSA registers the bench client for Ed25519 ID tokens; RS256 (the default every client gets) otherwise. */
export const ID_TOKEN_ALG = process.env.BENCH_ID_TOKEN_ALG === "EdDSA" ? "EdDSA" : null;
/** Keycloak's published sizing: about 120 client-credentials or refresh grants per second per vCPU. */
export const KEYCLOAK_PER_VCPU = 120;

export interface OidcBench {
  server: BenchProcess;
  databaseUrl: string;
  clientId: string;
  clientSecret: string;
  authorization: string;
  stop(): Promise<void>;
}

export async function startOidcBench(name: string): Promise<OidcBench> {
  const databaseUrl = await freshDatabase(`latchkey_bench_${name.replace(/-/g, "_")}`);
  const server = await startLatchkey(name, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_PREFIX: `latchkey-bench-${randomBytes(4).toString("hex")}:`,
    WORKERS: process.env.BENCH_WORKERS ?? "1",
    ...UNLIMITED,
  });
  const clientId = `bench-${randomBytes(4).toString("hex")}`;
  const clientSecret = randomToken();
  await withClient(databaseUrl, (db) =>
    db.query(
      `INSERT INTO "OAuthClient" (id, "clientId", name, "secretHash", "redirectUris", "postLogoutRedirectUris", "grantTypes", scopes, public, "firstParty", "idTokenSigningAlg", "updatedAt")
       VALUES (gen_random_uuid(), $1, 'Bench app', $2, $3, '{}', $4, $5, false, true, $6, now())`,
      [clientId, sha256(clientSecret), [REDIRECT_URI], ["authorization_code", "refresh_token", "client_credentials"], ["openid", "profile", "email", "offline_access"], ID_TOKEN_ALG],
    ),
  );
  return {
    server,
    databaseUrl,
    clientId,
    clientSecret,
    authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
    stop: () => server.stop(),
  };
}

/**
 * Refresh tokens of `count` users at the bench client: the code flow (PKCE) against an
 * in-process server on the same database, its sign-in finished through the engine's API.
 */
export async function mintRefreshTokens(bench: OidcBench, count: number): Promise<string[]> {
  const usernames = await registerUsers(bench.server.url, Math.min(count, 8), "oidc_bench");
  const ids = await withClient(bench.databaseUrl, async (db) =>
    (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE username = ANY($1)`, [usernames])).rows.map((row) => row.id),
  );
  const config = loadConfig({
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    APP_SECRET: BENCH_APP_SECRET,
    DATABASE_URL: bench.databaseUrl,
    LOG_LEVEL: "warn",
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "latchkey-bench-oidc-")),
  });
  const app = await createApp({ config, logger: createLogger("warn") });
  const url = await app.listen();
  try {
    const tokens: string[] = [];
    const { createHash } = await import("node:crypto");
    for (let i = 0; i < count; i++) {
      const verifier = randomToken();
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      const authorize = new URL(`${url}/oidc/auth`);
      authorize.search = new URLSearchParams({
        client_id: bench.clientId,
        response_type: "code",
        redirect_uri: REDIRECT_URI,
        scope: "openid profile email offline_access",
        prompt: "consent",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }).toString();
      const callback = await authorizeWithEngine(app.services.oidc!, authorize, ids[i % ids.length], REDIRECT_URI);
      const response = await fetch(`${url}/oidc/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: bench.authorization },
        body: new URLSearchParams({ grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
      });
      const body = (await response.json()) as { refresh_token?: string };
      if (!body.refresh_token) throw new Error(`no refresh token: ${JSON.stringify(body)}`);
      tokens.push(body.refresh_token);
    }
    return tokens;
  } finally {
    await app.close();
  }
}

/** node:http answering every POST with a token response of the same shape: the ceiling. */
export async function tokenCeiling(name: string, sampleBody: string, seconds: number, connections: number): Promise<LoadResult> {
  const plain = await startProcess(`${name}-plain-http`, "bench/ceilings/plain-http.ts", { RAW_JSON: sampleBody });
  try {
    return await load({
      url: plain.url,
      path: "/oidc/token",
      connections,
      seconds,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
  } finally {
    await plain.stop();
  }
}

/**
 * The same grants against the engine alone (bench/ceilings/oidc-engine.ts: oidc-provider on
 * node:http, in-memory state, no database): the most a server built on this engine reaches here.
 */
export async function engineAlone(name: string, grant: "refresh_token" | "client_credentials", seconds: number, connections: number): Promise<LoadResult & { cpuPerGrantMs: number }> {
  const engine = await startProcess(`${name}-engine-alone`, "bench/ceilings/oidc-engine.ts", { ID_TOKEN_ALG: ID_TOKEN_ALG ?? "RS256" });
  try {
    const headers = {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from("bench-engine:bench-engine-secret").toString("base64")}`,
    };
    const tokens = (await (await fetch(`${engine.url}/bench-refresh-tokens`)).json()) as string[];
    const cpuBefore = engine.cpuMs();
    const result = await load({
      url: engine.url,
      path: "/token",
      connections,
      seconds,
      headers,
      ...(grant === "refresh_token"
        ? {
            nextBody: () => new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.shift() ?? "" }).toString(),
            onBody: (body: string) => {
              const next = /"refresh_token":"([^"]+)"/.exec(body)?.[1];
              if (next) tokens.push(next);
            },
            check: (body: string) => body.includes('"refresh_token"'),
          }
        : { body: "grant_type=client_credentials", check: (body: string) => body.includes('"access_token"') }),
    });
    return { ...result, cpuPerGrantMs: (engine.cpuMs() - cpuBefore) / result.requests };
  } finally {
    await engine.stop();
  }
}
