import { Prisma, type PrismaClient, type Role, type User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { CursorKey, Page, PageRequest } from "../common/page";

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

// The order column of each field. USERNAME sorts by the lower-cased (unique) username.
const ORDER_COLUMNS: Record<UserOrderField, { column: Prisma.Sql; key: (user: User) => string | null; nullable: boolean }> = {
  CREATED_AT: { column: Prisma.raw(`u."createdAt"`), key: (u) => u.createdAt.toISOString(), nullable: false },
  USERNAME: { column: Prisma.raw(`u."usernameNormalized"`), key: (u) => u.usernameNormalized, nullable: false },
  LAST_LOGIN_AT: { column: Prisma.raw(`u."lastLoginAt"`), key: (u) => u.lastLoginAt?.toISOString() ?? null, nullable: true },
};

// The same columns Prisma's User model has; the enum comes back as text.
const USER_COLUMNS = Prisma.raw(
  `u.id, u.username, u."usernameNormalized", u.email, u."emailNormalized", u."emailVerified", u.role::text AS role,
   u.disabled, u."deletedAt", u."avatarExt", u."avatarVersion", u."lastLoginAt", u."createdAt", u."updatedAt"`,
);

/** A JS Date as a timestamp(3) literal: the columns are UTC timestamps without time zone. */
const timestamp = (date: Date) => Prisma.sql`${date.toISOString()}::timestamp(3)`;

/** LIKE pattern for a substring, with the pattern's own wildcards taken literally. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const MAX_QUERY_LENGTH = 200;

/**
 * Admin user search. One parameterised SQL statement per page (Prisma's query builder cannot
 * express the trigram-friendly UNION nor NULLS LAST keysets), keyset-paginated on the order
 * column plus id; the total is a separate COUNT with the same filter, run only when asked for.
 */
export class UserSearchService {
  constructor(private readonly prisma: PrismaClient) {}

  async search(criteria: UserSearchCriteria, order: UserSortOrder, page: PageRequest): Promise<Page<User>> {
    const filter = this.filterSql(criteria);
    const spec = ORDER_COLUMNS[order.field];
    const after = page.after ? this.parseCursor(page.after, order.field) : undefined;
    const rows = await this.prisma.$queryRaw<User[]>(this.pageSql(filter, order, after, page.first + 1));
    return {
      items: rows.slice(0, page.first),
      hasNextPage: rows.length > page.first,
      keyOf: (user) => [order.field, spec.key(user), user.id],
      totalCount: async () => {
        const [{ count }] = await this.prisma.$queryRaw<[{ count: number }]>`SELECT count(*)::int AS count FROM "User" u WHERE ${filter}`;
        return count;
      },
    };
  }

  /** Every condition of the filter; deleted accounts never match. */
  private filterSql(criteria: UserSearchCriteria): Prisma.Sql {
    const conditions: Prisma.Sql[] = [Prisma.sql`u."deletedAt" IS NULL`];
    const query = criteria.query?.trim().toLowerCase();
    if (query) {
      if (query.length > MAX_QUERY_LENGTH) throw Errors.badInput("query", `query must be at most ${MAX_QUERY_LENGTH} characters`);
      const pattern = containsPattern(query);
      // One trigram index per branch. An OR across the columns (and the Profile join) would
      // defeat the indexes; a UNION of three index scans does not. The normalized columns are
      // already lower-case; the profile name is matched with ILIKE, which pg_trgm also serves.
      conditions.push(Prisma.sql`u.id IN (
        SELECT id FROM "User" WHERE "usernameNormalized" LIKE ${pattern}
        UNION ALL SELECT id FROM "User" WHERE "emailNormalized" LIKE ${pattern}
        UNION ALL SELECT "userId" FROM "Profile" WHERE name ILIKE ${pattern})`);
    }
    if (criteria.role) conditions.push(Prisma.sql`u.role = ${criteria.role}::"Role"`);
    if (typeof criteria.emailVerified === "boolean") conditions.push(Prisma.sql`u."emailVerified" = ${criteria.emailVerified}`);
    if (typeof criteria.disabled === "boolean") conditions.push(Prisma.sql`u.disabled = ${criteria.disabled}`);
    if (criteria.createdAfter) conditions.push(Prisma.sql`u."createdAt" >= ${timestamp(criteria.createdAfter)}`);
    if (criteria.createdBefore) conditions.push(Prisma.sql`u."createdAt" < ${timestamp(criteria.createdBefore)}`);
    return Prisma.join(conditions, " AND ");
  }

  /**
   * The page after a position. Ties are broken by id in the order's direction. A NULL
   * lastLoginAt (never signed in) sorts last in both directions: the page is the union of
   * "with a value" and "without", each read in index order, so neither part needs a full sort.
   */
  private pageSql(filter: Prisma.Sql, order: UserSortOrder, after: { value: string | null; id: string } | undefined, limit: number): Prisma.Sql {
    const { column, nullable } = ORDER_COLUMNS[order.field];
    const desc = order.direction === "DESC";
    const dir = Prisma.raw(desc ? "DESC" : "ASC");
    const cmp = Prisma.raw(desc ? "<" : ">");
    const value = (v: string) => (order.field === "USERNAME" ? Prisma.sql`${v}` : timestamp(new Date(v)));

    if (!nullable) {
      const keyset = after ? Prisma.sql`AND (${column}, u.id) ${cmp} (${value(after.value!)}, ${after.id})` : Prisma.empty;
      return Prisma.sql`SELECT ${USER_COLUMNS} FROM "User" u WHERE ${filter} ${keyset}
        ORDER BY ${column} ${dir}, u.id ${dir} LIMIT ${limit}`;
    }

    const nullPart = Prisma.sql`(SELECT ${USER_COLUMNS} FROM "User" u WHERE ${filter} AND ${column} IS NULL
        ${after && after.value === null ? Prisma.sql`AND u.id ${cmp} ${after.id}` : Prisma.empty}
        ORDER BY u.id ${dir} LIMIT ${limit})`;
    if (after && after.value === null) return nullPart;
    const valuePart = Prisma.sql`(SELECT ${USER_COLUMNS} FROM "User" u WHERE ${filter} AND ${column} IS NOT NULL
        ${after ? Prisma.sql`AND (${column}, u.id) ${cmp} (${value(after.value!)}, ${after.id})` : Prisma.empty}
        ORDER BY ${column} ${dir}, u.id ${dir} LIMIT ${limit})`;
    return Prisma.sql`SELECT * FROM (${valuePart} UNION ALL ${nullPart}) AS u
      ORDER BY ${column} ${dir} NULLS LAST, u.id ${dir} LIMIT ${limit}`;
  }

  /** The position in a cursor, which must come from a page in the same order. */
  private parseCursor(key: CursorKey, field: UserOrderField): { value: string | null; id: string } {
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
