import { startTestServer, type TestServer } from "./support/test-server";

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

// Apollo's clients and tools tell a broken document from bad input by Apollo's own codes: a
// parse or validation failure keeps them, on POST and GET alike; the query limits and wrong
// variable values stay the contract's BAD_USER_INPUT.
describe("Apollo's error codes for documents that cannot run", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", { env: { QUERY_MAX_COST: "10" } });
  });
  afterAll(() => server.stop());

  const post = async (query: string, variables?: Record<string, unknown>): Promise<Answer> => {
    const { status, body } = await server.gql(query, variables);
    return { status, body };
  };
  const get = async (query: string): Promise<Answer> => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`, { headers: { "apollo-require-preflight": "true" } });
    return { status: response.status, body: (await response.json()) as Answer["body"] };
  };
  const transports = [["POST", post], ["GET", get]] as const;

  describe.each(transports)("over %s", (_method, send) => {
    it("answers a syntax error with GRAPHQL_PARSE_FAILED and status 400", async () => {
      const { status, body } = await send("{ me {");
      expect(status).toBe(400);
      expect(body.errors?.[0].extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
      expect(body.data).toBeUndefined();
    });

    it("answers an unknown field with GRAPHQL_VALIDATION_FAILED and status 400", async () => {
      const { status, body } = await send("{ nosuchfield }");
      expect(status).toBe(400);
      expect(body.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    });

    // Subscriptions are served over WebSocket only; a field the Subscription type lacks is also reported as such.
    it.each([
      ["a field the schema lacks", "subscription { x }", 2],
      ["a field of Query", "subscription { viewer { id } }", 2],
      ["a named operation", "subscription Watch { passwordPolicy { minLength } }", 2],
      ["one the schema serves over WebSocket", "subscription { sessionEvents { type } }", 1],
    ])("refuses a subscription (%s) as a validation failure, never INTERNAL_SERVER_ERROR", async (_what, query, errors) => {
      const { status, body } = await send(query);
      expect(status).toBe(400);
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(Array(errors).fill("GRAPHQL_VALIDATION_FAILED"));
      expect(body.errors?.[0].message).toMatch(/Subscription operations are not served over HTTP/);
    });

    it("keeps BAD_USER_INPUT for the depth, alias and token limits", async () => {
      const deep = await send(`{ __schema { types { ${"ofType { ".repeat(20)}name${" }".repeat(20)} } } }`);
      expect([deep.status, deep.body.errors?.[0].extensions?.code]).toEqual([400, "BAD_USER_INPUT"]);
      expect(deep.body.errors?.[0].message).toMatch(/nested \d+ levels deep/);
      const aliased = await send(`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(" ")} }`);
      expect([aliased.status, aliased.body.errors?.[0].extensions?.code]).toEqual([400, "BAD_USER_INPUT"]);
      expect(aliased.body.errors?.[0].message).toMatch(/aliases; the limit is 15/);
      const long = await send(`{ ${"__typename ".repeat(1200)}}`);
      expect([long.status, long.body.errors?.[0].extensions?.code]).toEqual([400, "BAD_USER_INPUT"]);
      expect(long.body.errors?.[0].message).toMatch(/more tha[nt] 1000 tokens/);
    });
  });

  it("keeps BAD_USER_INPUT for the cost limit", async () => {
    const { status, body } = await post(`{ ${Array.from({ length: 4 }, (_, i) => `p${i}: passwordPolicy { minLength maxLength }`).join(" ")} }`);
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(body.errors?.[0].message).toMatch(/costs \d+; the limit is 10/);
  });

  it("keeps BAD_USER_INPUT, naming the field, for a wrong variable value", async () => {
    const { body } = await post("mutation($i: LoginInput!) { login(input: $i) { __typename } }", { i: { identifier: "someone" } });
    expect(body.errors?.[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "password" });
  });

  it("logs no unexpected error for any of them", async () => {
    await post("subscription { x }");
    await get("subscription { x }");
    expect(server.log()).not.toMatch(/"msg":"unexpected error"/);
  });
});
