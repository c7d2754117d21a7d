import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { getIntrospectionQuery } from "graphql";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, REGISTER, registerUser, SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";

describe.each(testDatabases)("HTTP surface on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("answers /healthz and /readyz while the database answers", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok" } });
  });

  it("publishes a JWKS that verifies access tokens with a standard library", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, { issuer: "http://localhost:4000", audience: "latchkey" });
    expect(payload.sub).toBe(user.id);
    expect(protectedHeader.alg).toBe("EdDSA");
    const document = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    for (const key of document.keys) expect(key).not.toHaveProperty("d");
  });

  it("keeps the signing key private half encrypted in the database", async () => {
    const rows = await server.app.database.prisma.signingKey.findMany();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.privateJwkEncrypted.startsWith("v1.")).toBe(true);
      expect(row.privateJwkEncrypted).not.toContain('"d"');
    }
  });

  it("echoes a safe request id and makes one up otherwise", async () => {
    const given = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "abc-123" } });
    expect(given.headers.get("x-request-id")).toBe("abc-123");
    const unsafe = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "bad id\twith tabs" } });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers malformed JSON with BAD_USER_INPUT and no stack trace", async () => {
    const response = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it("answers an oversized body with PAYLOAD_TOO_LARGE", async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ passwordPolicy { minLength } }", variables: { pad: "x".repeat(200_000) } }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
  });

  // A JSON POST is read by graphql-http.ts, not express: a body that declares no length must
  // still be cut off at the limit while it streams in.
  it("answers PAYLOAD_TOO_LARGE to an oversized body sent without a length", async () => {
    const chunk = new TextEncoder().encode(`{"query":"{ passwordPolicy { minLength } }","variables":{"pad":"${"x".repeat(100_000)}`);
    const rest = new TextEncoder().encode(`${"x".repeat(150_000)}"}}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(rest);
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
  });

  // A caller that goes away before its whole body arrived (a dropped connection, a cancelled
  // upload) made no request: what did arrive must never run, even when it happens to be a whole
  // operation, and the server must not wait on it or fall over.
  it("runs nothing of a body cut off by a caller who went away, logs the request as aborted, and serves on", async () => {
    const username = uniqueName("halfsent");
    const operation = JSON.stringify({ query: REGISTER, variables: { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } } });
    // JSON allows trailing whitespace: the declared body is the operation and 1 KiB of spaces,
    // and only the operation is sent.
    const body = `${operation}${" ".repeat(1024)}`;
    const requestId = `aborted-${username}`;
    const { port } = new URL(server.url);
    let watch: (req: import("node:http").IncomingMessage) => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      watch = (req) => {
        if (req.headers["x-request-id"] === requestId) req.once("data", () => resolve());
      };
      server.app.server.on("request", watch);
    });
    const socket = connect(Number(port), "127.0.0.1");
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n\r\n${operation}`,
    );
    await arrived;
    server.app.server.off("request", watch);
    socket.destroy();
    const line = await server.waitForLog((entry) => entry.req?.id === requestId);
    expect(line.msg).toBe("request aborted");
    expect(await server.app.database.prisma.user.count({ where: { username } })).toBe(0);
    // Had the cut-off operation run, the name would now be taken (or taken twice over).
    const next = await server.gql(REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
    expect(next.body.errors).toBeUndefined();
    expect(await server.app.database.prisma.user.findMany({ where: { username }, select: { id: true } })).toEqual([{ id: next.body.data.register.userId }]);
  });

  // Compressed bodies are left to express's JSON parser, which inflates them.
  it("accepts a gzip-compressed JSON body", async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify({ query: "{ passwordPolicy { minLength } }" })),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data.passwordPolicy.minLength).toBeGreaterThan(0);
  });

  // Strict as express.json: a body that is JSON but not an object or a list is refused as
  // malformed before GraphQL sees it, the same answer the express path gives.
  it("answers a JSON body that is not an object or a list as a malformed request", async () => {
    const response = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '"{ passwordPolicy { minLength } }"' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0]).toEqual({ message: "Malformed request", extensions: { code: "BAD_USER_INPUT" } });
  });

  it("answers GraphQL syntax and validation errors with Apollo's own codes", async () => {
    const syntax = await server.gql("{ me { id ");
    expect(syntax.body.errors?.[0].extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    const unknown = await server.gql("{ noSuchField }");
    expect(unknown.body.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("names the missing input field and never echoes a rejected secret", async () => {
    const missing = await server.gql("mutation($i: LoginInput!) { login(input: $i) { __typename } }", { i: { identifier: "someone" } });
    expect(missing.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });
    const wrongType = await server.gql("mutation($i: LoginInput!) { login(input: $i) { __typename } }", {
      i: { identifier: "someone", password: 987654321987 },
    });
    expect(wrongType.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });
    expect(JSON.stringify(wrongType.body)).not.toContain("987654321987");
  });

  it("accepts the standard introspection query and refuses queries nested deeper than 15", async () => {
    const introspection = await server.gql(getIntrospectionQuery());
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data.__schema.queryType.name).toBe("Query");
    const nested = (depth: number) => `{ __schema { types { ${"ofType { ".repeat(depth - 3)}name${" }".repeat(depth - 3)} } } }`;
    const fifteen = await server.gql(nested(15));
    expect(fifteen.body.errors).toBeUndefined();
    const sixteen = await server.gql(nested(16));
    expect(sixteen.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(sixteen.body.data).toBeUndefined();
  });

  it("refuses GET queries without a preflight header (CSRF) and serves them with one", async () => {
    const query = encodeURIComponent("{ passwordPolicy { minLength } }");
    const simple = await fetch(`${server.url}/graphql?query=${query}`);
    expect(simple.status).toBe(400);
    const preflighted = await fetch(`${server.url}/graphql?query=${query}`, { headers: { "apollo-require-preflight": "true" } });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { passwordPolicy: { minLength: 12 } } });
  });

  it("allows the PUBLIC_URL origin for browsers and not others", async () => {
    const allowed = await fetch(`${server.url}/graphql`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:4000", "access-control-request-method": "POST" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:4000");
    const other = await fetch(`${server.url}/graphql`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
