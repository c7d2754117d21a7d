import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ADMIN_ENV, SEARCH_USERS, adminToken, seedUsers } from "./support/admin";

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(4, "0");

// Keyset pagination over the search: every match exactly once, in order, even while rows arrive.
describe.each(testDatabases)("searchUsers paging on %s", (kind) => {
  let server: TestServer;
  let token: string;
  const base = Date.parse("2024-03-01T00:00:00.000Z");
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
    token = await adminToken(server);
    // 120 matches of "kestrel" (in the username, the e-mail or the profile name) among other accounts.
    await seedUsers(server, [
      ...Array.from({ length: 40 }, (_, i) => ({ username: `kestrel${pad(i)}`, email: `k${pad(i)}@example.com`, createdAt: new Date(base + i * 1000) })),
      ...Array.from({ length: 40 }, (_, i) => ({ username: `falcon${pad(i)}`, email: `Kestrel.Falcon${pad(i)}@Example.com`, createdAt: new Date(base + (40 + i) * 1000) })),
      // Twenty share one createdAt, so ties must be broken by id.
      ...Array.from({ length: 40 }, (_, i) => ({ username: `hawk${pad(i)}`, name: `Anna KESTREL ${i}`, createdAt: new Date(base + (80 + (i % 20)) * 1000) })),
      ...Array.from({ length: 30 }, (_, i) => ({ username: `sparrow${pad(i)}`, name: `Sparrow ${i}`, createdAt: new Date(base + i * 1000) })),
      { username: "kestrelgone", deletedAt: new Date(base) },
    ]);
  });
  afterAll(() => server.stop());

  const search = async (variables: Record<string, unknown>) => {
    const { body } = await server.gql(SEARCH_USERS, variables, { token });
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data.searchUsers as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: Array<{ cursor: string; node: { id: string; username: string; createdAt: string; lastLoginAt: string | null } }>;
    };
  };

  /** Walks every page, calling `between` after each one. */
  const walk = async (variables: Record<string, unknown>, between: (page: number) => Promise<void> = async () => {}) => {
    const nodes: Array<{ id: string; username: string; createdAt: string; lastLoginAt: string | null }> = [];
    const totals: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const result = await search({ ...variables, first: 25, after });
      totals.push(result.totalCount);
      nodes.push(...result.edges.map((edge) => edge.node));
      expect(result.edges.length).toBeLessThanOrEqual(25);
      if (!result.pageInfo.hasNextPage) return { nodes, totals, pages: page + 1 };
      expect(result.pageInfo.endCursor).toBe(result.edges.at(-1)!.cursor);
      after = result.pageInfo.endCursor;
      await between(page);
    }
    throw new Error("too many pages");
  };

  it("pages 120 matches 25 at a time: each exactly once, totalCount 120, newest first by default", async () => {
    const { nodes, totals, pages } = await walk({ filter: { query: "kestrel" } });
    expect(pages).toBe(5);
    expect(totals).toEqual([120, 120, 120, 120, 120]);
    expect(nodes).toHaveLength(120);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(120);
    expect(nodes.some((n) => n.username.startsWith("sparrow") || n.username === "kestrelgone")).toBe(false);
    const keys = nodes.map((n) => Date.parse(n.createdAt));
    expect(keys).toEqual([...keys].sort((a, b) => b - a));
  });

  it.each([
    ["USERNAME", "ASC"],
    ["USERNAME", "DESC"],
    ["CREATED_AT", "ASC"],
  ])("pages in the requested order %s %s", async (field, direction) => {
    const { nodes, totals } = await walk({ filter: { query: "KESTREL" }, orderBy: { field, direction } });
    expect(totals[0]).toBe(120);
    expect(nodes).toHaveLength(120);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(120);
    const key = (n: (typeof nodes)[number]) => (field === "USERNAME" ? n.username : n.createdAt);
    const sorted = [...nodes].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (direction === "ASC" ? 1 : -1));
    if (field === "USERNAME") expect(nodes.map(key)).toEqual(sorted.map(key));
    else expect(nodes.map((n) => Date.parse(n.createdAt))).toEqual(sorted.map((n) => Date.parse(n.createdAt)));
  });

  it("returns each existing match exactly once while matching users are inserted between page requests", async () => {
    let inserted = 0;
    const { nodes } = await walk({ filter: { query: "kestrel" }, orderBy: { field: "USERNAME", direction: "ASC" } }, async (page) => {
      // Before and after the cursor: an OFFSET would repeat rows after these.
      await seedUsers(server, [
        { username: `aakestrel${page}`, createdAt: new Date(base) },
        { username: `zzkestrel${page}`, createdAt: new Date(base) },
      ]);
      inserted += 2;
    });
    const ids = nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    const original = nodes.filter((n) => !/^(aa|zz)kestrel/.test(n.username));
    expect(original).toHaveLength(120);
    expect(nodes.map((n) => n.username)).toEqual(nodes.map((n) => n.username).sort());
    // Rows inserted before the cursor are not seen, rows inserted after it are.
    expect(nodes.some((n) => n.username.startsWith("aakestrel"))).toBe(false);
    expect(nodes.filter((n) => n.username.startsWith("zzkestrel")).length).toBeGreaterThan(0);
    expect((await search({ filter: { query: "kestrel" }, first: 1 })).totalCount).toBe(120 + inserted);
    await server.app.database.prisma.user.deleteMany({ where: { usernameNormalized: { startsWith: "aakestrel" } } });
    await server.app.database.prisma.user.deleteMany({ where: { usernameNormalized: { startsWith: "zzkestrel" } } });
  });

  it("orders by lastLoginAt with never-signed-in accounts last in both directions", async () => {
    const seeded = await seedUsers(server, [
      ...Array.from({ length: 12 }, (_, i) => ({ username: `osprey${pad(i)}`, lastLoginAt: new Date(base + (i % 4) * DAY) })),
      ...Array.from({ length: 8 }, (_, i) => ({ username: `osprey${pad(12 + i)}`, lastLoginAt: null })),
    ]);
    for (const direction of ["ASC", "DESC"]) {
      const nodes: Array<{ id: string; lastLoginAt: string | null }> = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof search>> = await search({
          filter: { query: "osprey" },
          orderBy: { field: "LAST_LOGIN_AT", direction },
          first: 3,
          after,
        });
        nodes.push(...page.edges.map((e) => e.node));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(new Set(nodes.map((n) => n.id))).toEqual(new Set(seeded.map((s) => s.id)));
      expect(nodes.slice(12).every((n) => n.lastLoginAt === null)).toBe(true);
      const times = nodes.slice(0, 12).map((n) => Date.parse(n.lastLoginAt!));
      expect(times).toEqual([...times].sort((a, b) => (direction === "ASC" ? a - b : b - a)));
    }
  });

  it("filters on role, emailVerified, disabled and creation time, and never shows deleted accounts", async () => {
    const t0 = Date.parse("2023-01-01T00:00:00.000Z");
    await seedUsers(server, [
      { username: "wren_mod", role: "MODERATOR", emailVerified: true, createdAt: new Date(t0) },
      { username: "wren_off", disabled: true, createdAt: new Date(t0 + DAY) },
      { username: "wren_ver", emailVerified: true, createdAt: new Date(t0 + 2 * DAY) },
      { username: "wren_del", role: "MODERATOR", deletedAt: new Date(t0), createdAt: new Date(t0) },
    ]);
    const names = async (filter: Record<string, unknown>) =>
      (await search({ filter: { query: "wren", ...filter }, orderBy: { field: "USERNAME", direction: "ASC" } })).edges.map((e) => e.node.username);
    expect(await names({})).toEqual(["wren_mod", "wren_off", "wren_ver"]);
    expect(await names({ role: "MODERATOR" })).toEqual(["wren_mod"]);
    expect(await names({ emailVerified: true })).toEqual(["wren_mod", "wren_ver"]);
    expect(await names({ emailVerified: false })).toEqual(["wren_off"]);
    expect(await names({ disabled: true })).toEqual(["wren_off"]);
    expect(await names({ createdAfter: new Date(t0 + DAY).toISOString() })).toEqual(["wren_off", "wren_ver"]);
    expect(await names({ createdBefore: new Date(t0 + DAY).toISOString() })).toEqual(["wren_mod"]);
    const result = await search({ filter: { query: "wren", disabled: false }, first: 1 });
    expect(result.totalCount).toBe(2);
  });

  it("matches the profile name case-insensitively and takes % and _ in the query literally", async () => {
    await seedUsers(server, [
      { username: "plain_one", name: "Zoë Quetzal-Smith" },
      { username: "pct_user", email: "100%real@example.com" },
      { username: "pctxuser", email: "100xreal@example.com" },
    ]);
    expect((await search({ filter: { query: "quetzal-SMITH" } })).edges.map((e) => e.node.username)).toEqual(["plain_one"]);
    expect((await search({ filter: { query: "0%r" } })).edges.map((e) => e.node.username)).toEqual(["pct_user"]);
    expect((await search({ filter: { query: "t_u" } })).edges.map((e) => e.node.username)).toEqual(["pct_user"]);
  });

  it("refuses first above 100 or below 0 and a cursor it did not make, naming the argument", async () => {
    for (const [variables, field] of [
      [{ first: 101 }, "first"],
      [{ first: -1 }, "first"],
      [{ after: "bm90IGEgY3Vyc29y" }, "after"],
      [{ after: "%%%" }, "after"],
    ] as const) {
      const { body } = await server.gql(SEARCH_USERS, variables, { token });
      expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    const page = await search({ first: 100 });
    expect(page.edges.length).toBeLessThanOrEqual(100);
    // A cursor of one order is refused by another.
    const byName = await search({ orderBy: { field: "USERNAME", direction: "ASC" }, first: 1 });
    const { body } = await server.gql(SEARCH_USERS, { after: byName.pageInfo.endCursor }, { token });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});
