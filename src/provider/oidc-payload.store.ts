import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { SqlRunner } from "../db/direct-sql";
import { utc } from "../db/sql-time";

/** What the engine hands the adapter to keep (oidc-provider's AdapterPayload). */
export type OidcPayloadData = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  consumed?: number;
};

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** One row the engine stores: what upsert writes, alone or with a consume (consumeAndWrite). */
export interface PayloadWrite {
  model: string;
  id: string;
  payload: OidcPayloadData;
  expiresAt: Date | null;
}

const COLUMNS = Prisma.sql`("model", "id", "payload", "grantId", "userCode", "uid", "accountId", "expiresAt")`;

// Typed, so the same values can stand in a VALUES list of several rows.
const rowValues = ({ model, id, payload, expiresAt }: PayloadWrite): Prisma.Sql =>
  Prisma.sql`(${model}::text, ${id}::text, ${JSON.stringify(payload)}::jsonb, ${text(payload.grantId)}::text, ${text(payload.userCode)}::text,
    ${text(payload.uid)}::text, ${text(payload.accountId)}::text, ${expiresAt ? utc(expiresAt) : Prisma.sql`NULL::timestamp`})`;

const ON_CONFLICT_SET = Prisma.sql`"payload" = EXCLUDED."payload", "grantId" = EXCLUDED."grantId", "userCode" = EXCLUDED."userCode",
  "uid" = EXCLUDED."uid", "accountId" = EXCLUDED."accountId", "expiresAt" = EXCLUDED."expiresAt", "consumedAt" = NULL`;

interface PayloadRow {
  payload: OidcPayloadData | string;
  consumedAt: Date | null;
}

function fromRow(row: PayloadRow): OidcPayloadData {
  const payload = (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as OidcPayloadData;
  // The engine reads `consumed` (epoch seconds) to tell a used code or rotated refresh token.
  return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
}

/**
 * Statements on OidcPayload: the engine's state, one row per (model, id). A row past its
 * expiresAt reads as absent and is removed by `pruneExpired` (a background job). The token
 * endpoint's statements (upsert, find, consumeAndWrite, destroy) go straight to the driver (`sql`, see
 * db/direct-sql.ts): every grant sends several.
 */
export class OidcPayloadStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
  ) {}

  async upsert(model: string, id: string, payload: OidcPayloadData, expiresAt: Date | null): Promise<void> {
    await this.sql`
      INSERT INTO "OidcPayload" ${COLUMNS} VALUES ${rowValues({ model, id, payload, expiresAt })}
      ON CONFLICT ("model", "id") DO UPDATE SET ${ON_CONFLICT_SET}`;
  }

  find(model: string, id: string, now: Date): Promise<OidcPayloadData | undefined> {
    return this.first(Prisma.sql`"model" = ${model} AND "id" = ${id}`, now);
  }

  findByUid(model: string, uid: string, now: Date): Promise<OidcPayloadData | undefined> {
    return this.first(Prisma.sql`"model" = ${model} AND "uid" = ${uid}`, now);
  }

  findByUserCode(model: string, userCode: string, now: Date): Promise<OidcPayloadData | undefined> {
    return this.first(Prisma.sql`"model" = ${model} AND "userCode" = ${userCode}`, now);
  }

  /**
   * A token or code with what the engine reads right after it, in one statement: the grant it
   * was issued under (every refresh, userinfo and introspection call), the row of `linkModel`
   * keyed by its provider session uid (the Latchkey session link, for the claims) and, with
   * `accountColumn`, that column computed from the token's account id (the account the engine
   * reads next, see oidc-adapter.ts). `uid` is the token's session uid, whether or not a link
   * row exists; `account` is the column's value (null when it found none).
   */
  async findWithContext(
    model: string,
    id: string,
    linkModel: string,
    now: Date,
    accountColumn?: (accountId: Prisma.Sql) => Prisma.Sql,
  ): Promise<{ found?: OidcPayloadData; grant?: OidcPayloadData; uid?: string; link?: OidcPayloadData; account?: unknown }> {
    const account = accountColumn ? accountColumn(Prisma.sql`t."accountId"`) : Prisma.sql`NULL`;
    const rows = await this.sql<PayloadRow & { model: string; account: unknown }>`
      WITH token AS (SELECT "grantId", "payload"->>'sessionUid' AS uid FROM "OidcPayload" WHERE "model" = ${model} AND "id" = ${id})
      SELECT t."model", t."payload", t."consumedAt", CASE WHEN t."model" = ${model} THEN ${account} END AS "account" FROM "OidcPayload" t
      WHERE ((t."model" = ${model} AND t."id" = ${id})
          OR (t."model" = 'Grant' AND t."id" = (SELECT "grantId" FROM token))
          OR (t."model" = ${linkModel} AND t."id" = (SELECT uid FROM token)))
        AND (t."expiresAt" IS NULL OR t."expiresAt" > ${utc(now)})`;
    const rowOf = (name: string) => rows.find((candidate) => candidate.model === name);
    const tokenRow = rowOf(model);
    const found = tokenRow && fromRow(tokenRow);
    const grant = rowOf("Grant");
    const link = rowOf(linkModel);
    return {
      found,
      grant: grant && fromRow(grant),
      uid: text(found?.sessionUid) ?? undefined,
      link: link && fromRow(link),
      account: tokenRow?.account ?? null,
    };
  }

  private async first(where: Prisma.Sql, now: Date): Promise<OidcPayloadData | undefined> {
    const [row] = await this.sql<PayloadRow>`
      SELECT "payload", "consumedAt" FROM "OidcPayload"
      WHERE ${where} AND ("expiresAt" IS NULL OR "expiresAt" > ${utc(now)}) LIMIT 1`;
    return row ? fromRow(row) : undefined;
  }

  /**
   * Marks a code or refresh token used, once, and writes the rows the grant issues in its place,
   * in one statement (one round trip and one commit instead of three on every refresh and code
   * exchange). True when this call used it; false when another request already had (two tabs,
   * or a replay, exchanging it at the same instant: the engine read it unused in both), and then
   * nothing is written.
   */
  async consumeAndWrite(model: string, id: string, now: Date, writes: PayloadWrite[]): Promise<boolean> {
    const written = writes.length
      ? Prisma.sql`, written AS (
          INSERT INTO "OidcPayload" ${COLUMNS}
          SELECT * FROM (VALUES ${Prisma.join(writes.map(rowValues))}) AS rows WHERE EXISTS (SELECT 1 FROM used)
          ON CONFLICT ("model", "id") DO UPDATE SET ${ON_CONFLICT_SET})`
      : Prisma.empty;
    const [row] = await this.sql<{ used: number }>`
      WITH used AS (
        UPDATE "OidcPayload" SET "consumedAt" = ${utc(now)}
        WHERE "model" = ${model} AND "id" = ${id} AND "consumedAt" IS NULL RETURNING "id")${written}
      SELECT (SELECT count(*) FROM used)::int AS "used"`;
    return (row?.used ?? 0) > 0;
  }

  /** The grant a row was issued under, if the row is still there. */
  async grantIdOf(model: string, id: string): Promise<string | null> {
    const [row] = await this.sql<{ grantId: string | null }>`SELECT "grantId" FROM "OidcPayload" WHERE "model" = ${model} AND "id" = ${id}`;
    return row?.grantId ?? null;
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.sql`DELETE FROM "OidcPayload" WHERE "model" = ${model} AND "id" = ${id}`;
  }

  /** Everything issued under one grant (codes, access and refresh tokens), whatever the model. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.prisma.oidcPayload.deleteMany({ where: { grantId } });
  }

  /** The grant itself with everything issued under it: what the engine does when a used code or refresh token comes back. */
  async revokeGrant(grantId: string): Promise<void> {
    await this.prisma.oidcPayload.deleteMany({ where: { OR: [{ grantId }, { model: "Grant", id: grantId }] } });
  }

  /**
   * Everything the engine keeps for one account: its provider sessions, grants, codes and
   * tokens (rows that name the account, and those issued under its grants).
   */
  async deleteForAccount(accountId: string): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const grants = await tx.oidcPayload.findMany({ where: { accountId, model: "Grant" }, select: { id: true } });
      const byGrant = grants.length
        ? await tx.oidcPayload.deleteMany({ where: { grantId: { in: grants.map((grant) => grant.id) } } })
        : { count: 0 };
      const byAccount = await tx.oidcPayload.deleteMany({ where: { accountId } });
      return byGrant.count + byAccount.count;
    });
  }

  /** Removes rows past their expiry; plain DELETE by time, safe in several processes at once. */
  async pruneExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.oidcPayload.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}
