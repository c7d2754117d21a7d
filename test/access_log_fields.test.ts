import { randomBytes } from "node:crypto";
import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, REFRESH, login, registerSignedInUser, registerUser } from "./support/accounts";

const requestId = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

/** POSTs a body as JSON with an X-Request-Id; resolves with the status and the id the server answered with. */
async function post(server: TestServer, body: unknown, id: string, token?: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": id, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, header: response.headers.get("x-request-id"), body: (await response.json()) as any };
}

const accessLine = (server: TestServer, id: string) =>
  server.waitForLog((line) => line.req?.id === id && typeof line.responseTime === "number");

// In an incident the access line is what people search: it names the operation and who asked,
// and every error line of a request carries the id its response header showed.
describe.each(testDatabases)("the access line and error lines on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  it("names the operation, its type and the signed-in user's id, never the username or the token", async () => {
    const user = await registerSignedInUser(server);
    const id = requestId("me");
    const answer = await post(server, { query: "query WhoAmI { me { id } }" }, id, user.token);
    expect(answer.body.data.me.id).toBe(user.id);
    expect(answer.header).toBe(id);

    const line = await accessLine(server, id);
    expect(line).toMatchObject({ msg: "request completed", operationName: "WhoAmI", operationType: "query", userId: user.id });
    const text = JSON.stringify(line);
    expect(text).not.toContain(user.username);
    expect(text).not.toContain(user.token);
  });

  it("names a mutation made without a token, with no user id", async () => {
    const id = requestId("login");
    await post(server, { query: LOGIN, variables: { input: { identifier: "nobody-here", password: "not-the-password-1" } } }, id);
    const line = await accessLine(server, id);
    expect(line).toMatchObject({ operationName: "Login", operationType: "mutation" });
    expect(line).not.toHaveProperty("userId");
  });

  it("names every operation of a batch in the batch's order, null where there is no name or type", async () => {
    const id = requestId("batch");
    const answer = await post(
      server,
      [
        { query: "query First { passwordPolicy { minLength } }" },
        { query: "{ oauthProviders { id } }" },
        // Fails validation: the name the request gave is all there is, with no type.
        { query: "query Broken { noSuchField }", operationName: "Broken" },
      ],
      id,
    );
    expect(answer.body).toHaveLength(3);
    const line = await accessLine(server, id);
    expect(line.operationName).toEqual(["First", null, "Broken"]);
    expect(line.operationType).toEqual(["query", "query", null]);
  });

  it("puts the request id on the error formatter's line for an unexpected error", async () => {
    // A fault no test can cause from outside: the providers list breaks as a bug would.
    const fault = jest.spyOn(server.app.services.oauth, "providers").mockImplementation(() => {
      throw new Error("a fault in the providers list");
    });
    try {
      const id = requestId("fault");
      const answer = await post(server, { query: "query Providers { oauthProviders { id } }" }, id);
      expect(answer.body.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
      expect(answer.header).toBe(id);
      const line = await server.waitForLog((entry) => entry.msg === "unexpected error" && entry.reqId === id);
      expect(line.level).toBe(50);
      expect(line.err.message).toBe("a fault in the providers list");
    } finally {
      fault.mockRestore();
    }
  });

  it("puts the request id on the lines of a request that fails while its token is checked", async () => {
    const user = await registerSignedInUser(server);
    // The context is built before any plugin sees the request: this error reaches the formatter another way.
    const fault = jest.spyOn(server.app.services.accessTokens, "verify").mockImplementation(() => {
      throw new Error("a fault in token verification");
    });
    try {
      const id = requestId("context");
      const answer = await post(server, { query: "query WhoAmI { me { id } }" }, id, user.token);
      expect(answer.status).toBe(500);
      expect(answer.header).toBe(id);
      const unexpected = await server.waitForLog((entry) => entry.msg === "unexpected error" && entry.reqId === id);
      expect(unexpected.err.message).toContain("a fault in token verification");
      const errored = await accessLine(server, id);
      expect(errored).toMatchObject({ msg: "request errored", level: 50, res: { statusCode: 500 } });
    } finally {
      fault.mockRestore();
    }
  });

  it("puts the request id on a service's security warning about the request", async () => {
    const user = await registerUser(server);
    const first = await login(server, user.username);
    const second = (await server.gql(REFRESH, { token: first.refreshToken })).body.data.refreshSession;
    await server.gql(REFRESH, { token: second.refreshToken });
    // A retired token coming back: the session is revoked and a warning written.
    const id = requestId("reuse");
    const replay = await server.gql(REFRESH, { token: first.refreshToken }, { headers: { "x-request-id": id } });
    expect(replay.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(replay.headers.get("x-request-id")).toBe(id);
    const warning = await server.waitForLog((line) => line.msg === "refresh token reused: session revoked" && line.userId === user.id);
    expect(warning).toMatchObject({ level: 40, reqId: id });
  });

  it("logs /metrics scrapes and probes at debug, not at info", async () => {
    for (const path of ["/metrics", "/healthz", "/readyz"]) {
      const id = requestId("quiet");
      const response = await fetch(`${server.url}${path}`, { headers: { "x-request-id": id } });
      expect(response.status).toBe(200);
      const line = await accessLine(server, id);
      expect({ path, level: line.level }).toEqual({ path, level: 20 });
    }
  });
});

describe("scrapes on METRICS_PORT", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", { env: { METRICS_PORT: "0" } });
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  it("are logged at debug too", async () => {
    const id = requestId("scrape");
    const response = await fetch(`${server.app.metricsUrl}/metrics`, { headers: { "x-request-id": id } });
    expect(response.status).toBe(200);
    const line = await accessLine(server, id);
    expect(line).toMatchObject({ level: 20, req: { url: "/metrics" }, res: { statusCode: 200 } });
  });
});
