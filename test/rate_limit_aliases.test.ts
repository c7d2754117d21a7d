import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser } from "./support/accounts";

const aliasedLogins = (identifier: string, count: number) =>
  `mutation {\n${Array.from({ length: count }, (_, i) =>
    `  a${i}: login(input: { identifier: ${JSON.stringify(identifier)}, password: "guess-number-${i}" }) { __typename }`,
  ).join("\n")}\n}`;

// Aliases and batches must not multiply the guesses one request can make.
describe.each(testDatabases)("rate limits against aliases and batches on %s", (kind) => {
  describe("with the alias cap raised", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, {
        env: { RATE_LIMIT_LOGIN: "3/1m", QUERY_MAX_ALIASES: "50", LOGIN_LOCKOUT_THRESHOLD: "1000" },
      });
    });
    afterAll(() => server.stop());

    it("lets 30 aliased logins try one password: the first failure stops the mutation list", async () => {
      const user = await registerUser(server);
      const verify = jest.spyOn(server.app.services.credentials, "verify");
      const { body } = await server.gql(aliasedLogins(user.username, 30));
      expect(body.data).toBeNull();
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(verify).toHaveBeenCalledTimes(1);
      verify.mockRestore();
    });

    it("counts every alias against the limit, successful ones too", async () => {
      const user = await registerUser(server);
      const verify = jest.spyOn(server.app.services.credentials, "verify");
      const query = `mutation {\n${Array.from({ length: 5 }, (_, i) =>
        `  a${i}: login(input: { identifier: ${JSON.stringify(user.username)}, password: ${JSON.stringify(user.password)} }) { __typename }`,
      ).join("\n")}\n}`;
      const { body } = await server.gql(query);
      const limited = body.errors?.find((e) => e.extensions?.code === "RATE_LIMITED");
      expect(limited?.path).toEqual(["a3"]);
      expect(limited!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
      expect(limited!.extensions!.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(verify).toHaveBeenCalledTimes(3);
      verify.mockRestore();
    });

    it("counts every operation of a batch", async () => {
      const user = await registerUser(server);
      const batch = Array.from({ length: 8 }, (_, i) => ({
        query: `mutation { login(input: { identifier: ${JSON.stringify(user.username)}, password: "batch-guess-${i}" }) { __typename } }`,
      }));
      const response = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(batch),
      });
      const results = (await response.json()) as Array<{ errors?: Array<{ extensions: { code: string } }> }>;
      const codes = results.map((r) => r.errors?.[0].extensions.code);
      expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(3);
      expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(5);
    });

    it("treats differently cased identifiers as one", async () => {
      const user = await registerUser(server);
      const variants = [user.username, user.username.toUpperCase(), ` ${user.username} `, user.username.toUpperCase()];
      const codes = [];
      for (const identifier of variants) {
        const { body } = await server.gql(aliasedLogins(identifier, 1));
        codes.push(body.errors?.[0].extensions?.code);
      }
      expect(codes).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
    });
  });

  describe("with the default alias cap", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind);
    });
    afterAll(() => server.stop());

    it("refuses a 30-alias request before any login runs", async () => {
      const user = await registerUser(server);
      const verify = jest.spyOn(server.app.services.credentials, "verify");
      const { status, body } = await server.gql(aliasedLogins(user.username, 30));
      expect(status).toBe(400);
      expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(body.errors?.[0].message).toMatch(/aliases/);
      expect(verify).not.toHaveBeenCalled();
      verify.mockRestore();
    });

    it("refuses a batch larger than MAX_BATCH_OPERATIONS", async () => {
      const batch = Array.from({ length: 11 }, () => ({ query: "{ passwordPolicy { minLength } }" }));
      const response = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(batch),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    });
  });
});
