import { Prisma, type PrismaClient, type Role, type User } from "../generated/prisma/client";
import { planEachTime } from "../db/database";
import { utc } from "../db/sql-time";
import { disabledAtPart, userColumns, userFromRow, type UserRow } from "./user.store";

export type UserOrderField = "CREATED_AT" | "USERNAME" | "LAST_LOGIN_AT";
export type SortDirection = "ASC" | "DESC";

export interface UserSearchCriteria {
  /** Case-insensitive substring of the username, the e-mail or the profile name. */
  query?: string | null;
  role?: Role | null;
  emailVerified?: boolean | null;
  /** Disabled at `now` (a ban past its end is not): see isDisabledAt. */
  disabled?: boolean | null;
  /** The time `disabled` is judged at; the search service sets it from its clock. */
  now?: Date;
  /** Inclusive lower bound of createdAt. */
  createdAfter?: Date | null;
  /** Exclusive upper bound of createdAt. */
  createdBefore?: Date | null;
}

export interface UserSortOrder {
  field: UserOrderField;
  direction: SortDirection;
}

/** A keyset position: the order value (null: never signed in) and the id. */
export interface Position {
  value: string | null;
  id: string;
}

/** One page's read: the order, where it starts, how many rows, and whether ADMINs' sign-in times are hidden. */
export interface SearchPageQuery {
  criteria: UserSearchCriteria;
  /** The text query, lower-cased like the normalized columns; undefined without one. */
  text?: string;
  order: UserSortOrder;
  after?: Position;
  limit: number;
  /** LAST_LOGIN_AT for a searcher who may not see when ADMINs sign in: ADMINs rank as never signed in. */
  hideAdminSignIns: boolean;
}

// The order column of each field. USERNAME sorts by the lower-cased (unique) username.
const ORDER_COLUMNS: Record<UserOrderField, Prisma.Sql> = {
  CREATED_AT: Prisma.raw(`u."createdAt"`),
  USERNAME: Prisma.raw(`u."usernameNormalized"`),
  LAST_LOGIN_AT: Prisma.raw(`u."lastLoginAt"`),
};
const LAST_LOGIN_WITHOUT_ADMINS = Prisma.raw(`(CASE WHEN u.role::text = 'ADMIN' THEN NULL ELSE u."lastLoginAt" END)`);

/** Whether the field's order column can be NULL (never signed in): such rows sort last in both directions. */
export const NULLABLE_ORDER: Record<UserOrderField, boolean> = { CREATED_AT: false, USERNAME: false, LAST_LOGIN_AT: true };

const orderColumn = (field: UserOrderField, hideAdminSignIns: boolean): Prisma.Sql =>
  field === "LAST_LOGIN_AT" && hideAdminSignIns ? LAST_LOGIN_WITHOUT_ADMINS : ORDER_COLUMNS[field];

/** LIKE pattern for a substring, with the pattern's own wildcards taken literally. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Admin user search in parameterised SQL (Prisma's query builder cannot express the
 * trigram-friendly split across User and Profile, nor NULLS LAST keysets), keyset-paginated on
 * the order column plus id, reading users through accounts' one column list. A text search is
 * one statement that also counts the matches; a filter-only page reads an index in order and
 * counts with a separate COUNT only when asked.
 */
export class UserSearchStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Up to `limit` users after the position; a text search's rows also carry the match count. */
  async page(query: SearchPageQuery): Promise<{ users: User[]; totalCount?: number }> {
    const filter = this.filterSql(query.criteria);
    const column = orderColumn(query.order.field, query.hideAdminSignIns);
    const sql = query.text
      ? this.textSearchSql(filter, containsPattern(query.text), query.order, column, query.after, query.limit)
      : this.browseSql(filter, query.order, column, query.after, query.limit);
    const rows = await this.prisma.$queryRaw<Array<UserRow & { totalCount?: number }>>(planEachTime(sql));
    return { users: rows.map(userFromRow), totalCount: rows[0]?.totalCount };
  }

  /** How many users match the criteria and the text. */
  async count(criteria: UserSearchCriteria, text: string | undefined): Promise<number> {
    const filter = this.filterSql(criteria);
    const sql = text
      ? Prisma.sql`${this.matchedCtes(filter, containsPattern(text), Prisma.raw("NULL::text"))} SELECT count(*)::int AS count FROM matched`
      : Prisma.sql`SELECT count(*)::int AS count FROM "User" u WHERE ${filter}`;
    const [{ count }] = await this.prisma.$queryRaw<[{ count: number }]>(planEachTime(sql));
    return count;
  }

  /** The conditions besides the text; deleted accounts never match. */
  private filterSql(criteria: UserSearchCriteria): Prisma.Sql {
    const conditions: Prisma.Sql[] = [Prisma.sql`u."deletedAt" IS NULL`];
    if (criteria.role) conditions.push(Prisma.sql`u.role = ${criteria.role}::"Role"`);
    if (typeof criteria.emailVerified === "boolean") conditions.push(Prisma.sql`u."emailVerified" = ${criteria.emailVerified}`);
    if (typeof criteria.disabled === "boolean") {
      const disabledNow = criteria.now ? disabledAtPart({ disabled: Prisma.sql`u.disabled`, disabledUntil: Prisma.sql`u."disabledUntil"` }, criteria.now) : Prisma.sql`u.disabled`;
      conditions.push(Prisma.sql`${disabledNow} = ${criteria.disabled}`);
    }
    if (criteria.createdAfter) conditions.push(Prisma.sql`u."createdAt" >= ${utc(criteria.createdAfter)}`);
    if (criteria.createdBefore) conditions.push(Prisma.sql`u."createdAt" < ${utc(criteria.createdBefore)}`);
    return Prisma.join(conditions, " AND ");
  }

  /**
   * `matched(id, k)`: every account matching the text and the filter, with its order value k.
   * Username and e-mail are one heap pass over User (a BitmapOr of their two trigram indexes);
   * the profile name is a second pass over Profile, and only accounts not already matched are
   * looked up in User. An OR across both tables would defeat the indexes. The normalized
   * columns are lower-case already; the profile name uses ILIKE, which pg_trgm serves too.
   */
  private matchedCtes(filter: Prisma.Sql, pattern: string, column: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`WITH direct AS MATERIALIZED (
        SELECT u.id, ${column} AS k FROM "User" u
        WHERE ${filter} AND (u."usernameNormalized" LIKE ${pattern} OR u."emailNormalized" LIKE ${pattern})
      ), profile_only AS MATERIALIZED (
        SELECT pr."userId" AS id FROM "Profile" pr
        WHERE pr.name ILIKE ${pattern} AND NOT EXISTS (SELECT 1 FROM direct d WHERE d.id = pr."userId")
      ), matched AS MATERIALIZED (
        SELECT id, k FROM direct
        UNION ALL
        SELECT u.id, ${column} FROM "User" u WHERE u.id IN (SELECT id FROM profile_only) AND ${filter}
      )`;
  }

  /** A text search: the page of the match set after the position, each row carrying the total. */
  private textSearchSql(
    filter: Prisma.Sql,
    pattern: string,
    order: UserSortOrder,
    column: Prisma.Sql,
    after: Position | undefined,
    limit: number,
  ): Prisma.Sql {
    const { dir, keyset } = this.keyset(order, after, Prisma.raw("m.k"), Prisma.raw("m.id"));
    return Prisma.sql`${this.matchedCtes(filter, pattern, column)},
      page AS (
        SELECT m.id, m.k FROM matched m WHERE ${keyset} ORDER BY m.k ${dir} NULLS LAST, m.id ${dir} LIMIT ${limit}
      )
      SELECT ${userColumns("u")}, (SELECT count(*) FROM matched)::int AS "totalCount"
      FROM page JOIN "User" u ON u.id = page.id
      ORDER BY page.k ${dir} NULLS LAST, page.id ${dir}`;
  }

  /**
   * A filter-only page, read in index order. A NULL lastLoginAt (never signed in) sorts last in
   * both directions: the page is the union of "with a value" and "without", each read in
   * index order, so neither part needs a full sort of the table.
   */
  private browseSql(filter: Prisma.Sql, order: UserSortOrder, column: Prisma.Sql, after: Position | undefined, limit: number): Prisma.Sql {
    const { dir, keyset } = this.keyset(order, after, column, Prisma.raw("u.id"));
    const columns = userColumns("u");
    if (!NULLABLE_ORDER[order.field]) {
      return Prisma.sql`SELECT ${columns} FROM "User" u WHERE ${filter} AND ${keyset}
        ORDER BY ${column} ${dir}, u.id ${dir} LIMIT ${limit}`;
    }
    const nullPart = Prisma.sql`(SELECT ${columns} FROM "User" u WHERE ${filter} AND ${column} IS NULL AND ${keyset}
        ORDER BY u.id ${dir} LIMIT ${limit})`;
    if (after && after.value === null) return nullPart;
    const valuePart = Prisma.sql`(SELECT ${columns} FROM "User" u WHERE ${filter} AND ${column} IS NOT NULL AND ${keyset}
        ORDER BY ${column} ${dir}, u.id ${dir} LIMIT ${limit})`;
    return Prisma.sql`SELECT * FROM (${valuePart} UNION ALL ${nullPart}) AS u
      ORDER BY ${column} ${dir} NULLS LAST, u.id ${dir} LIMIT ${limit}`;
  }

  /** "After this position" in the order (NULLs last, ties by id in the same direction). */
  private keyset(order: UserSortOrder, after: Position | undefined, k: Prisma.Sql, id: Prisma.Sql) {
    const desc = order.direction === "DESC";
    const dir = Prisma.raw(desc ? "DESC" : "ASC");
    const cmp = Prisma.raw(desc ? "<" : ">");
    if (!after) return { dir, keyset: Prisma.sql`TRUE` };
    if (after.value === null) return { dir, keyset: Prisma.sql`(${k} IS NULL AND ${id} ${cmp} ${after.id})` };
    const value = order.field === "USERNAME" ? Prisma.sql`${after.value}` : utc(new Date(after.value));
    const beyond = Prisma.sql`(${k}, ${id}) ${cmp} (${value}, ${after.id})`;
    return { dir, keyset: NULLABLE_ORDER[order.field] ? Prisma.sql`(${beyond} OR ${k} IS NULL)` : beyond };
  }
}
