/**
 * Keyset pagination, independent of GraphQL: services read one page after a position and
 * say where each item sits, the GraphQL layer turns positions into opaque cursors.
 */

/** A position in an ordered list: the order value(s) and the id that breaks ties. */
export type CursorKey = ReadonlyArray<string | null>;

export interface PageRequest {
  /** How many items, already validated (0..100). */
  first: number;
  /** Items strictly after this position; undefined starts at the beginning. */
  after?: CursorKey;
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  /** The position of an item, to continue after it. */
  keyOf(item: T): CursorKey;
  /** The number of items matching the filter, ignoring the position; runs only when asked. */
  totalCount(): Promise<number>;
}

export const MAX_PAGE_SIZE = 100;
