import http from "node:http";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { createPostgresDatabase, testDatabases } from "./support/databases";
import { startServerProcess, startTwoWorkers, type ServerProcess } from "./support/server-process";
import { LOGIN, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";
import { SecretScan } from "./support/secret-scan";

// With OTEL_EXPORTER_OTLP_ENDPOINT the server exports spans over OTLP/HTTP JSON. A receiver in
// this process collects them while a real server process signs a caller in under the caller's
// own trace: the request's spans must join that trace (HTTP, GraphQL operation, database
// statements, password check), and none of the exported data may hold a secret. Without the
// variable the process must not load any OpenTelemetry module at all.

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number; boolValue?: boolean } }>;
  status?: { code?: number };
}

const SERVER = 2; // OTLP's SPAN_KIND_SERVER
const CLIENT = 3; // OTLP's SPAN_KIND_CLIENT
const PRELOAD = path.join(__dirname, "support", "loaded-modules-report.js");

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.boolValue;
};

/** An OTLP/HTTP traces receiver: keeps every export's raw JSON and its spans. */
async function startReceiver() {
  const bodies: string[] = [];
  const spans: OtlpSpan[] = [];
  const contentTypes = new Set<string>();
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
      contentTypes.add(String(req.headers["content-type"]));
      bodies.push(text);
      const request = JSON.parse(text) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
      for (const resource of request.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      for (const waiter of [...waiters]) waiter();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    spans,
    contentTypes,
    /** Resolves once the spans received satisfy `ready` (checked after every export). */
    waitFor(ready: () => boolean, timeoutMs = 60_000): Promise<void> {
      return new Promise((resolve, reject) => {
        if (ready()) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`spans not exported in time; received: ${spans.map((span) => span.name).join(", ")}`));
        }, timeoutMs);
        const check = () => {
          if (!ready()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Server settings for `kind`: a fresh PostgreSQL database or an embedded one in a fresh folder. */
async function databaseEnv(kind: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-otlp-"));
  const base = { DATA_DIR: dataDir, APP_SECRET: "otlp-secret-otlp-secret-otlp-secret-0000001", NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PRELOAD}` };
  if (kind === "pglite") return { env: base, drop: async () => {} };
  const database = await createPostgresDatabase();
  return { env: { ...base, DATABASE_URL: database.url }, drop: database.drop };
}

async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

/** Registers an account and signs it in; every secret sent or received goes into `scan`. */
async function signUpAndIn(url: string, scan: SecretScan, headers: Record<string, string> = {}) {
  const username = uniqueName("otlp");
  const registration = { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email: `${username}@example.com` } };
  scan.collect(registration);
  const registered = await post(url, REGISTER, registration);
  expect(registered.errors).toBeUndefined();
  const credentials = { input: { identifier: username, password: STRONG_PASSWORD } };
  scan.collect(credentials);
  const signedIn = await post(url, LOGIN, credentials, headers);
  expect(signedIn.errors).toBeUndefined();
  expect(signedIn.data.login.__typename).toBe("AuthPayload");
  scan.collect(signedIn.data);
  return signedIn.data.login as { accessToken: string; refreshToken: string };
}

const loadedModules = (file: string): string[] => JSON.parse(readFileSync(file, "utf8"));

describe.each(testDatabases)("OTLP trace export on %s", (kind) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: ServerProcess | undefined;
  let drop: () => Promise<void> = async () => {};
  let modulesFile: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    const database = await databaseEnv(kind);
    drop = database.drop;
    modulesFile = path.join(database.env.DATA_DIR, "..", `${path.basename(database.env.DATA_DIR)}-modules.json`);
    server = await startServerProcess(
      {
        ...database.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: "latchkey-under-test",
        // The standard batch knob: export within 100 ms instead of 5 s.
        OTEL_BSP_SCHEDULE_DELAY: "100",
        LOADED_MODULES_FILE: modulesFile,
      },
      { startTimeoutMs: 120_000 },
    );
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await drop();
  });

  it("exports the sign-in's HTTP, GraphQL, database and password spans in the caller's trace, with no secret in them", async () => {
    const scan = new SecretScan();
    // A probe, sent before the sign-in so its span would be exported no later than the sign-in's.
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    const traceId = randomBytes(16).toString("hex");
    const callerSpanId = randomBytes(8).toString("hex");
    const session = await signUpAndIn(server!.url, scan, { traceparent: `00-${traceId}-${callerSpanId}-01` });
    scan.add("accessToken", session.accessToken);
    scan.add("refreshToken", session.refreshToken);

    // A password in a GET query string reaches the HTTP span's url.query only as a name.
    const inlinePassword = `inline-${randomBytes(8).toString("hex")}`;
    scan.add("password", inlinePassword);
    const query = `mutation { login(input: { identifier: "nobody", password: "${inlinePassword}" }) { __typename } }`;
    const viaGet = await fetch(`${server!.url}/graphql?query=${encodeURIComponent(query)}`, { headers: { "apollo-require-preflight": "true" } });
    expect(viaGet.status).toBe(405);

    const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    const httpSpan = () => inTrace().find((span) => span.kind === SERVER && span.parentSpanId === callerSpanId);
    const operationSpan = () => inTrace().find((span) => span.name === "mutation Login");
    const statementSpans = () => inTrace().filter((span) => span.kind === CLIENT && attribute(span, "db.system.name") === "postgresql");
    const passwordSpans = () => inTrace().filter((span) => span.name === "password verify");
    const queryStringSpan = () => receiver.spans.find((span) => span.kind === SERVER && attribute(span, "http.request.method") === "GET" && attribute(span, "url.path") === "/graphql");
    await receiver.waitFor(() => Boolean(httpSpan() && operationSpan() && statementSpans().length > 0 && passwordSpans().length > 0 && queryStringSpan()));

    // The HTTP server span continues the caller's trace: its parent is the caller's span.
    const request = httpSpan()!;
    expect(attribute(request, "http.request.method")).toBe("POST");
    expect(attribute(request, "url.path")).toBe("/graphql");

    // The operation, a child of the HTTP span, named for it, with its type and outcome.
    const operation = operationSpan()!;
    expect(operation.parentSpanId).toBe(request.spanId);
    expect(attribute(operation, "graphql.operation.type")).toBe("mutation");
    expect(attribute(operation, "graphql.operation.name")).toBe("Login");
    expect(attribute(operation, "latchkey.graphql.outcome")).toBe("ok");

    // Statements carry their parameterized text and the database, all in the request's trace.
    for (const statement of statementSpans()) {
      expect(attribute(statement, "latchkey.database")).toBe(kind);
      expect(String(attribute(statement, "db.query.text"))).toMatch(/^\s*(\/\*.*?\*\/\s*)?(SELECT|INSERT|UPDATE|DELETE|WITH)\b/is);
    }
    expect(statementSpans().some((span) => /\$1/.test(String(attribute(span, "db.query.text"))))).toBe(true);

    // The password check names its algorithm, nothing else.
    const check = passwordSpans()[0];
    expect(attribute(check, "latchkey.password.algorithm")).toBe("argon2id");
    expect(check.attributes.map((entry) => entry.key)).toEqual(["latchkey.password.algorithm"]);

    expect(attribute(queryStringSpan()!, "url.query")).toBe("query=REDACTED");

    // Statements outside a request (start-up, background polling) start no trace of their own,
    // and probes are not traced.
    expect(receiver.spans.filter((span) => span.kind === CLIENT && !span.parentSpanId).map((span) => span.name)).toEqual([]);
    expect(receiver.spans.filter((span) => attribute(span, "url.path") === "/healthz")).toEqual([]);

    // OTLP/HTTP JSON, under the configured service name.
    expect([...receiver.contentTypes]).toEqual(["application/json"]);
    expect(receiver.bodies.join("\n")).toContain('"stringValue":"latchkey-under-test"');

    // No secret the sign-up and sign-in carried appears anywhere in what was exported.
    expect([...scan.kinds()]).toEqual(expect.arrayContaining(["password", "secretPasskey", "accessToken", "refreshToken"]));
    const exported = receiver.bodies.join("\n");
    expect(exported.length).toBeGreaterThan(2_000);
    expect(scan.leaksIn(exported)).toEqual([]);
  }, 120_000);

  it("loads the OpenTelemetry SDK in the traced process", async () => {
    await server!.stop();
    server = undefined;
    const modules = loadedModules(modulesFile);
    expect(modules.some((file) => file.includes("/@opentelemetry/sdk-trace-"))).toBe(true);
    expect(modules.some((file) => file.includes("/@opentelemetry/instrumentation-http/"))).toBe(true);
  }, 60_000);
});

describe("OTLP trace export with WORKERS=2", () => {
  it("traces in every worker process, not in the primary", async () => {
    const receiver = await startReceiver();
    const server = await startTwoWorkers("otlp", { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: "100" });
    try {
      const pids = (msg: string) => server.logs().filter((line) => line.msg === msg).map((line) => line.pid as number).sort();
      expect(pids("exporting traces")).toHaveLength(2);
      expect(pids("exporting traces")).toEqual(pids("Latchkey is listening"));
      // Node hands connections to the workers in turn: four requests reach both of them.
      const traceIds = Array.from({ length: 4 }, () => randomBytes(16).toString("hex"));
      for (const traceId of traceIds) {
        const response = await fetch(`${server.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`, connection: "close" },
          body: JSON.stringify({ query: "query Probe { __typename }" }),
        });
        expect(response.status).toBe(200);
      }
      const served = (traceId: string) => receiver.spans.some((span) => span.traceId === traceId && span.kind === SERVER);
      await receiver.waitFor(() => traceIds.every(served));
    } finally {
      await server.stop();
      await receiver.close();
    }
  }, 150_000);
});

describe("OTLP trace export to a collector that does not answer", () => {
  it("still serves, logs a warning, and stops cleanly", async () => {
    // A port nothing listens on: the receiver is started and closed again.
    const closed = await startReceiver();
    await closed.close();
    const database = await databaseEnv("postgres");
    const server = await startServerProcess({ ...database.env, OTEL_EXPORTER_OTLP_ENDPOINT: closed.url, OTEL_BSP_SCHEDULE_DELAY: "100" });
    try {
      const response = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "query Probe { __typename }" }),
      });
      expect(await response.json()).toEqual({ data: { __typename: "Query" } });
      const warning = await server.waitForLog((line) => line.msg === "tracing");
      expect(warning.level).toBe(40);
    } finally {
      await server.stop();
      await database.drop();
    }
    expect(await server.exited()).toBe(0);
  }, 120_000);
});

describe("without OTEL_EXPORTER_OTLP_ENDPOINT", () => {
  it("loads no OpenTelemetry module, even while serving a sign-in", async () => {
    const database = await databaseEnv("pglite");
    const modulesFile = path.join(database.env.DATA_DIR, "..", `${path.basename(database.env.DATA_DIR)}-modules.json`);
    const server = await startServerProcess({ ...database.env, LOADED_MODULES_FILE: modulesFile }, { startTimeoutMs: 120_000 });
    try {
      await signUpAndIn(server.url, new SecretScan());
    } finally {
      await server.stop();
    }
    const modules = loadedModules(modulesFile);
    // The report itself worked: the app's own modules are listed.
    expect(modules.some((file) => file.endsWith(path.join("src", "http-server.ts")))).toBe(true);
    // prom-client requires @opentelemetry/api (the no-op API, for exemplars) on its own; no other
    // OpenTelemetry package (SDK, exporter, instrumentation, context manager) may be loaded.
    expect(modules.filter((file) => file.includes("/@opentelemetry/") && !file.includes("/@opentelemetry/api/"))).toEqual([]);
  }, 150_000);
});
