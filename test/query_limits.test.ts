import { startTestServer, type TestServer } from "./support/test-server";
import { getIntrospectionQuery } from "graphql";

const deepQuery = (depth: number) => `{ __schema { types { ${"ofType { ".repeat(depth - 3)}name${" }".repeat(depth - 3)} } } }`;

describe("query limits", () => {
  describe("defaults", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer("pglite");
    });
    afterAll(() => server.stop());

    it("refuses a 30-level-deep query", async () => {
      const { body } = await server.gql(deepQuery(30));
      expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(body.errors?.[0].message).toMatch(/nested 30 levels/);
    });

    it("refuses an operation over the cost limit, counting `first` on lists", async () => {
      const { measureOperation } = await import("../src/graphql/query-limits.plugin");
      const { parse } = await import("graphql");
      const document = parse(`query($n: Int) { searchUsers(first: $n) { edges { node { id username } } } }`);
      const operation = document.definitions[0] as any;
      expect(measureOperation(operation, new Map(), { n: 100 }).cost).toBe(1 + 100 * (1 + 1 + 2));
    });
  });

  describe("with a small QUERY_MAX_COST and introspection and the IDE turned off", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer("pglite", {
        env: { QUERY_MAX_COST: "5", GRAPHQL_INTROSPECTION: "false", GRAPHQL_IDE: "false" },
      });
    });
    afterAll(() => server.stop());

    it("refuses an over-cost query before running it", async () => {
      const { status, body } = await server.gql("{ a: passwordPolicy { minLength maxLength } b: passwordPolicy { minLength maxLength } }");
      expect(status).toBe(400);
      expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(body.errors?.[0].message).toMatch(/costs 6; the limit is 5/);
      expect((await server.gql("{ passwordPolicy { minLength maxLength } }")).body.errors).toBeUndefined();
    });

    it("refuses introspection", async () => {
      const { body } = await server.gql(getIntrospectionQuery());
      expect(body.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    });

    it("serves no IDE page", async () => {
      const response = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
      expect(await response.text()).not.toContain("GraphiQL");
    });
  });
});
