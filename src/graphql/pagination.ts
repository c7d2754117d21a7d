import { Field, Int, ObjectType, registerEnumType, type ClassType } from "type-graphql";
import { Errors } from "../common/app-error";
import { containsNul } from "../common/text-safety";
import { MAX_PAGE_SIZE, type CursorKey, type Page } from "../common/page";

// Relay-style connections shared by every list that can grow: `first`/`after` arguments,
// `edges { cursor node }`, `pageInfo`, `totalCount`. Cursors are opaque base64url JSON of a
// keyset position, never an offset, so pages stay stable while rows are inserted.

export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(OrderDirection, {
  name: "OrderDirection",
  description: "Which way a list is sorted.",
  valuesConfig: {
    ASC: { description: "Smallest, earliest or alphabetically first value first." },
    DESC: { description: "Largest, latest or alphabetically last value first." },
  },
});

@ObjectType({ description: "Where a page of a connection sits in the whole list." })
export class PageInfo {
  @Field(() => Boolean, { description: "Whether more items follow this page: ask again with after set to endCursor." }) hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: "The cursor of the page's last item; null when the page is empty." })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** A getter: the COUNT query runs only when the client selects totalCount. */
  readonly totalCount: Promise<number>;
}

/** `<Name>Edge` and `<Name>Connection` object types for a node type. */
export function connectionTypes<T extends object>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with its position.` })
  class EdgeType {
    @Field(() => String, {
      description: "An opaque position: pass it as after to continue after this item. Stable while items are added.",
    })
    cursor!: string;
    @Field(() => nodeType, { description: "The item at this position." }) node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay connection): first/after choose the page.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: "The page's items, in the list's order." }) edges!: EdgeType[];
    @Field(() => PageInfo, { description: "Whether more items follow, and the cursor to ask for them." }) pageInfo!: PageInfo;
    @Field(() => Int, { description: "How many items match in all pages together; counted only when asked for." }) totalCount!: number;
  }

  return { EdgeType, ConnectionType };
}

/** Validates `first`: 0..100, else BAD_USER_INPUT on field `first`. */
export function pageSize(first: number | null | undefined, fallback: number): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw Errors.badInput("first", `first must be from 0 to ${MAX_PAGE_SIZE}`);
  }
  return value;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

const BAD_CURSOR = () => Errors.badInput("after", "after is not a cursor from this list");

/** Decodes `after`; anything that is not a cursor we made is BAD_USER_INPUT on field `after`. */
export function decodeCursor(cursor: string | null | undefined): CursorKey | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  if (cursor.length === 0 || cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw BAD_CURSOR();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw BAD_CURSOR();
  }
  // A NUL (PostgreSQL text cannot hold one) is no cursor of ours either.
  if (!Array.isArray(key) || key.length === 0 || !key.every((part) => part === null || (typeof part === "string" && !containsNul(part)))) {
    throw BAD_CURSOR();
  }
  return key;
}

/** The GraphQL shape of a service page. */
export function toConnection<T>(page: Page<T>): Connection<T> {
  const edges = page.items.map((node) => ({ cursor: encodeCursor(page.keyOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    get totalCount() {
      return page.totalCount();
    },
  };
}
