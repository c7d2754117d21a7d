import { Prisma, type PrismaClient, type Role, type User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { CursorKey, Page, PageRequest } from "../common/page";
import { planEachTime } from "../db/database";
import { USER_COLUMNS } from "../accounts/user-columns.sql";

export type UserOrderField = "CREATED_AT" | "USERNAME" | "LAST_LOGIN_AT";
export type SortDirection = "ASC" | "DESC";

export interface UserSearchCriteria {
  /** Case-insensitive substring of the username, the e-mail or the profile name. */
  query?: string | null;
  role?: Role | null;
  emailVerified?: boolean | null;
  disabled?: boolean | null;
  /** Inclusive lower bound of createdAt. */
  createdAfter?: Date | null;
  /** Exclusive upper bound of createdAt. */
  createdBefore?: Date | null;
}

export interface UserSortOrder {
  field: UserOrderField;
  direction: SortDirection;
}

export const DEFAULT_USER_ORDER: UserSortOrder = { field: "CREATED_AT", direction: "DESC" };

type OrderColumn = { column: Prisma.Sql; key: (user: User) => string | null; nullable: boolean };

// The order column of each field. USERNAME sorts by the lower-cased (unique) username.
const ORDER_COLUMNS: Record<UserOrderField, OrderColumn> = {
  CREATED_AT: { column: Prisma.raw(`u."createdAt"`), key: (u) => u.createdAt.toISOString(), nullable: false },
  USERNAME: { column: Prisma.raw(`u."usernameNormalized"`), key: (u) => u.usernameNormalized, nullable: false },
  LAST_LOGIN_AT: { column: Prisma.raw(`u."lastLoginAt"`), key: (u) => u.lastLoginAt?.toISOString() ?? null, nullable: true },
};

// LAST_LOGIN_AT for a searcher who may not see when ADMINs sign in (a MODERATOR): ADMINs rank
// as never signed in, and no cursor carries their time.
const LAST_LOGIN_WITHOUT_ADMINS: OrderColumn = {
  column: Prisma.raw(`(CASE WHEN u.role::text = 'ADMIN' THEN NULL ELSE u."lastLoginAt" END)`),
  key: (u) => (u.role === "ADMIN" ? null : (u.lastLoginAt?.toISOString() ?? null)),
  nullable: true,
};

/** What the searcher may see decides the order column of LAST_LOGIN_AT. */
export interface SearchViewer {
  /** ADMINs' sign-in times are not the searcher's to see (not even as an order). */
  hideAdminSignIns?: boolean;
}

const orderColumn = (field: UserOrderField, viewer: SearchViewer): OrderColumn =>
  field === "LAST_LOGIN_AT" && viewer.hideAdminSignIns ? LAST_LOGIN_WITHOUT_ADMINS : ORDER_COLUMNS[field];

/** A JS Date as a timestamp(3) literal: the columns are UTC timestamps without time zone. */
const timestamp = (date: Date) => Prisma.sql`${date.toISOString()}::timestamp(3)`;

/** LIKE pattern for a substring, with the pattern's own wildcards taken literally. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const MAX_QUERY_LENGTH = 200;

/** A keyset position: the order value (null: never signed in) and the id. */
interface Position {
  value: string | null;
  id: string;
}

/**
 * Admin user search in parameterised SQL (Prisma's query builder cannot express the
 * trigram-friendly split across User and Profile, nor NULLS LAST keysets), keyset-paginated on
 * the order column plus id. A text search is one statement that also counts the matches; a
 * filter-only page reads an index in order and counts with a separate COUNT only when asked.
 */
export class UserSearchService {
  constructor(private readonly prisma: PrismaClient) {}

  async search(criteria: UserSearchCriteria, order: UserSortOrder, page: PageRequest, viewer: SearchViewer = {}): Promise<Page<User>> {
    const filter = this.filterSql(criteria);
    const text = this.textPattern(criteria.query);
    const spec = orderColumn(order.field, viewer);
    const after = page.after ? this.parseCursor(page.after, order.field) : undefined;
    const limit = page.first + 1;

    let rows: Array<User & { totalCount?: number }>;
    let totalCount: () => Promise<number>;
    if (text) {
      // The match set is materialised once anyway: counting it in the same statement is nearly free.
      rows = await this.prisma.$queryRaw(planEachTime(this.textSearchSql(filter, text, order, spec, after, limit)));
      const total = rows[0]?.totalCount ?? (after ? undefined : 0);
      totalCount = async () => total ?? (await this.count(filter, text));
    } else {
      rows = await this.prisma.$queryRaw(planEachTime(this.browseSql(filter, order, spec, after, limit)));
      totalCount = () => this.count(filter, undefined);
    }
    const items = rows.slice(0, page.first).map(({ totalCount: _, ...user }) => user as User);
    return {
      items,
      hasNextPage: rows.length > page.first,
      keyOf: (user) => [order.field, spec.key(user), user.id],
      totalCount,
    };
  }

  private async count(filter: Prisma.Sql, text: string | undefined): Promise<number> {
    const sql = text
      ? Prisma.sql`${this.matchedCtes(filter, text, Prisma.raw("NULL::text"))} SELECT count(*)::int AS count FROM matched`
      : Prisma.sql`SELECT count(*)::int AS count FROM "User" u WHERE ${filter}`;
    const [{ count }] = await this.prisma.$queryRaw<[{ count: number }]>(planEachTime(sql));
    return count;
  }

  /** The conditions besides the text; deleted accounts never match. */
  private filterSql(criteria: UserSearchCriteria): Prisma.Sql {
    const conditions: Prisma.Sql[] = [Prisma.sql`u."deletedAt" IS NULL`];
    if (criteria.role) conditions.push(Prisma.sql`u.role = ${criteria.role}::"Role"`);
    if (typeof criteria.emailVerified === "boolean") conditions.push(Prisma.sql`u."emailVerified" = ${criteria.emailVerified}`);
    if (typeof criteria.disabled === "boolean") conditions.push(Prisma.sql`u.disabled = ${criteria.disabled}`);
    if (criteria.createdAfter) conditions.push(Prisma.sql`u."createdAt" >= ${timestamp(criteria.createdAfter)}`);
    if (criteria.createdBefore) conditions.push(Prisma.sql`u."createdAt" < ${timestamp(criteria.createdBefore)}`);
    return Prisma.join(conditions, " AND ");
  }

  /** The LIKE pattern of the text query, lower-cased like the normalized columns; undefined without one. */
  private textPattern(query: string | null | undefined): string | undefined {
    const text = query?.trim().toLowerCase();
    if (!text) return undefined;
    if (text.length > MAX_QUERY_LENGTH) throw Errors.badInput("query", `query must be at most ${MAX_QUERY_LENGTH} characters`);
    return containsPattern(text);
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
    spec: OrderColumn,
    after: Position | undefined,
    limit: number,
  ): Prisma.Sql {
    const { column } = spec;
    const { dir, keyset } = this.keyset(order, after, Prisma.raw("m.k"), Prisma.raw("m.id"));
    return Prisma.sql`${this.matchedCtes(filter, pattern, column)},
      page AS (
        SELECT m.id, m.k FROM matched m WHERE ${keyset} ORDER BY m.k ${dir} NULLS LAST, m.id ${dir} LIMIT ${limit}
      )
      SELECT ${USER_COLUMNS}, (SELECT count(*) FROM matched)::int AS "totalCount"
      FROM page JOIN "User" u ON u.id = page.id
      ORDER BY page.k ${dir} NULLS LAST, page.id ${dir}`;
  }

  /**
   * A filter-only page, read in index order. A NULL lastLoginAt (never signed in) sorts last in
   * both directions: the page is the union of "with a value" and "without", each read in
   * index order, so neither part needs a full sort of the table.
   */
  private browseSql(filter: Prisma.Sql, order: UserSortOrder, spec: OrderColumn, after: Position | undefined, limit: number): Prisma.Sql {
    const { column, nullable } = spec;
    const { dir, keyset } = this.keyset(order, after, column, Prisma.raw("u.id"));
    if (!nullable) {
      return Prisma.sql`SELECT ${USER_COLUMNS} FROM "User" u WHERE ${filter} AND ${keyset}
        ORDER BY ${column} ${dir}, u.id ${dir} LIMIT ${limit}`;
    }
    const nullPart = Prisma.sql`(SELECT ${USER_COLUMNS} FROM "User" u WHERE ${filter} AND ${column} IS NULL AND ${keyset}
        ORDER BY u.id ${dir} LIMIT ${limit})`;
    if (after && after.value === null) return nullPart;
    const valuePart = Prisma.sql`(SELECT ${USER_COLUMNS} FROM "User" u WHERE ${filter} AND ${column} IS NOT NULL AND ${keyset}
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
    const value = order.field === "USERNAME" ? Prisma.sql`${after.value}` : timestamp(new Date(after.value));
    const beyond = Prisma.sql`(${k}, ${id}) ${cmp} (${value}, ${after.id})`;
    return { dir, keyset: ORDER_COLUMNS[order.field].nullable ? Prisma.sql`(${beyond} OR ${k} IS NULL)` : beyond };
  }

  /** The position in a cursor, which must come from a page in the same order. */
  private parseCursor(key: CursorKey, field: UserOrderField): Position {
    const bad = () => Errors.badInput("after", "after is not a cursor of this order");
    if (key.length !== 3 || key[0] !== field || typeof key[2] !== "string" || key[2].length > 64) throw bad();
    const value = key[1];
    if (value === null) {
      if (!ORDER_COLUMNS[field].nullable) throw bad();
    } else if (field !== "USERNAME" && Number.isNaN(Date.parse(value))) {
      throw bad();
    }
    return { value, id: key[2] };
  }
}
