// The first page of members of a 10,000-member organization on PostgreSQL, over HTTP: the
// organization's OWNER lists `members(first: 20)` with totalCount, back to back, and the
// second page after the first page's cursor. Seeds a fresh database, starts the server in
// this process and prints p50/p95 against the 50 ms ceiling.
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { freshDatabase, withClient } from "./support/postgres";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";

const MEMBERS = 10_000;
const CEILING_MS = 50;
const BENCH_DB = process.env.BENCH_DATABASE ?? "latchkey_bench_org_members";
const OWNER = { username: "bench_owner", password: "bench-owner-password-2024", email: "bench_owner@example.com" };

const QUERY = `
  query Members($id: ID!, $first: Int, $after: String) {
    organization(id: $id) {
      members(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id role createdAt user { id username } } }
      }
    }
  }`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function run(args: string[]): Promise<void> {
  const rounds = Number(args[0] ?? 300);
  const url = await freshDatabase(BENCH_DB);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: "production",
    APP_SECRET: "bench-secret-bench-secret-bench-secret-000",
    DATABASE_URL: url,
    PORT: "0",
    LOG_LEVEL: "warn",
    SESSION_IDLE_TIMEOUT: "0",
  });
  const app = await createApp({ config, logger: createLogger("warn") });
  try {
    const base = await app.listen();
    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const response = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    await gql(`mutation ($input: RegisterInput!) { register(input: $input) { userId } }`, {
      input: { username: OWNER.username, password: OWNER.password, secretPasskey: `${OWNER.password}-offline`, email: OWNER.email },
    });
    const login = await gql(`mutation ($input: LoginInput!) { login(input: $input) { ... on AuthPayload { accessToken } } }`, {
      input: { identifier: OWNER.username, password: OWNER.password, expiresInMinutes: 120 },
    });
    const token: string = login.login.accessToken;
    const created = await gql(`mutation { createOrganization(input: { name: "Bench", slug: "bench-org" }) { id } }`, {}, token);
    const organizationId: string = created.createOrganization.id;

    console.log(`seeding ${MEMBERS} members into ${BENCH_DB} ...`);
    await withClient(url, async (db) => {
      await db.query(`
        WITH s AS MATERIALIZED (
          SELECT g, gen_random_uuid()::text AS id, '2024-01-01'::timestamp + g * interval '1 minute' AS at
          FROM generate_series(1, ${MEMBERS - 1}) AS g
        ), users AS (
          INSERT INTO "User" (id, username, "usernameNormalized", email, "emailNormalized", "emailVerified", "createdAt", "updatedAt")
          SELECT id, 'member.' || g, 'member.' || g, 'member' || g || '@example.com', 'member' || g || '@example.com', true, at, at FROM s
        )
        INSERT INTO "Membership" (id, "organizationId", "userId", role, "createdAt")
        SELECT gen_random_uuid()::text, $1, id, (CASE WHEN g % 50 = 0 THEN 'ADMIN' ELSE 'MEMBER' END)::"OrganizationRole", at FROM s`, [organizationId]);
      await db.query(`VACUUM ANALYZE "User"`);
      await db.query(`VACUUM ANALYZE "Membership"`);
    });

    const time = async (label: string, variables: () => Promise<Record<string, unknown>>) => {
      const times: number[] = [];
      for (let i = -20; i < rounds; i++) {
        const vars = await variables();
        const started = performance.now();
        const data = await gql(QUERY, vars, token);
        const elapsed = performance.now() - started;
        if (data.organization.members.totalCount !== MEMBERS) throw new Error(`expected ${MEMBERS} members, got ${data.organization.members.totalCount}`);
        if (i >= 0) times.push(elapsed);
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      console.log(
        `  ${label.padEnd(40)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms = ` +
          `${((p95 / CEILING_MS) * 100).toFixed(0)}% of the ${CEILING_MS} ms ceiling (${p95 < CEILING_MS ? "under" : "OVER"})`,
      );
    };
    console.log(`\n${rounds} sequential requests (after 20 warm-up), first: 20 with totalCount, over HTTP:`);
    await time("first page", async () => ({ id: organizationId, first: 20 }));
    const firstPage = await gql(QUERY, { id: organizationId, first: 20 }, token);
    await time("second page (after the first's cursor)", async () => ({ id: organizationId, first: 20, after: firstPage.organization.members.pageInfo.endCursor }));
    console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores`);
  } finally {
    await app.close();
  }
}
