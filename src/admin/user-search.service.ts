import type { User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { CursorKey, Page, PageRequest } from "../common/page";
import { NULLABLE_ORDER, type Position, type UserOrderField, type UserSearchCriteria, type UserSearchStore, type UserSortOrder, } from "../accounts";

export type { SortDirection, UserOrderField, UserSearchCriteria, UserSortOrder } from "../accounts";

export const DEFAULT_USER_ORDER: UserSortOrder = { field: "CREATED_AT", direction: "DESC" };

/** What the searcher may see decides the order of LAST_LOGIN_AT. */
export interface SearchViewer {
  /** ADMINs' sign-in times are not the searcher's to see (not even as an order). */
  hideAdminSignIns?: boolean;
}

// The cursor value of each order field (the order column's value of the last row).
const ORDER_KEYS: Record<UserOrderField, (user: User) => string | null> = {
  CREATED_AT: (u) => u.createdAt.toISOString(),
  USERNAME: (u) => u.usernameNormalized,
  LAST_LOGIN_AT: (u) => u.lastLoginAt?.toISOString() ?? null,
};

// LAST_LOGIN_AT for a searcher who may not see when ADMINs sign in (a MODERATOR): ADMINs rank
// as never signed in, and no cursor carries their time.
const lastLoginWithoutAdmins = (u: User) => (u.role === "ADMIN" ? null : (u.lastLoginAt?.toISOString() ?? null));

const orderKey = (field: UserOrderField, viewer: SearchViewer) =>
  field === "LAST_LOGIN_AT" && viewer.hideAdminSignIns ? lastLoginWithoutAdmins : ORDER_KEYS[field];

const MAX_QUERY_LENGTH = 200;

/**
 * Admin user search: the text query's rules, cursors that must come from a page in the same
 * order, and the page (the statements are in user-search.store.ts).
 */
export class UserSearchService {
  constructor(
    private readonly store: UserSearchStore,
    private readonly clock: Clock,
  ) {}

  async search(filter: UserSearchCriteria, order: UserSortOrder, page: PageRequest, viewer: SearchViewer = {}): Promise<Page<User>> {
    // `disabled` means disabled now: a ban past its end matches false before the sweep clears it.
    const criteria: UserSearchCriteria = { ...filter, now: this.clock.now() };
    const text = this.textQuery(criteria.query);
    const after = page.after ? this.parseCursor(page.after, order.field) : undefined;
    const { users, totalCount: counted } = await this.store.page({
      criteria,
      text,
      order,
      after,
      limit: page.first + 1,
      hideAdminSignIns: viewer.hideAdminSignIns ?? false,
    });
    // A text search counts its match set in the same statement (nearly free: it is materialised
    // anyway); a page past the end of it has no row to carry the count.
    const total = text ? (counted ?? (after ? undefined : 0)) : undefined;
    const key = orderKey(order.field, viewer);
    return {
      items: users.slice(0, page.first),
      hasNextPage: users.length > page.first,
      keyOf: (user) => [order.field, key(user), user.id],
      totalCount: async () => total ?? (await this.store.count(criteria, text)),
    };
  }

  /** The text query, trimmed and lower-cased like the normalized columns; undefined without one. */
  private textQuery(query: string | null | undefined): string | undefined {
    const text = query?.trim().toLowerCase();
    if (!text) return undefined;
    if (text.length > MAX_QUERY_LENGTH) throw Errors.badInput("query", `query must be at most ${MAX_QUERY_LENGTH} characters`);
    return text;
  }

  /** The position in a cursor, which must come from a page in the same order. */
  private parseCursor(key: CursorKey, field: UserOrderField): Position {
    const bad = () => Errors.badInput("after", "after is not a cursor of this order");
    if (key.length !== 3 || key[0] !== field || typeof key[2] !== "string" || key[2].length > 64) throw bad();
    const value = key[1];
    if (value === null) {
      if (!NULLABLE_ORDER[field]) throw bad();
    } else if (field !== "USERNAME" && Number.isNaN(Date.parse(value))) {
      throw bad();
    }
    return { value, id: key[2] };
  }
}
