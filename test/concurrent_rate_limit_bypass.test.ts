import { randomBytes } from "node:crypto";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { startTwoWorkers, type ServerProcess } from "./support/server-process";
import { codeOf, postGraphQL } from "./support/process-client";
import { REGISTER, SECRET_PASSKEY, STRONG_PASSWORD } from "./support/accounts";

const LIMIT = 20;
const ATTEMPTS = 40;
const REDIS_URL = "redis://127.0.0.1:6379";

/** ATTEMPTS registrations sent at once, spread over the given URLs; the answers' codes. */
const registerAtOnce = (urls: string[]) =>
  Promise.all(
    Array.from({ length: ATTEMPTS }, (_, i) =>
      postGraphQL(urls[i % urls.length], REGISTER, {
        input: { username: `flood_${randomBytes(4).toString("hex")}_${i}`, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY },
      }).then((r) => codeOf(r.body)),
    ),
  );

/** However the requests interleave, exactly LIMIT pass and the rest are refused. */
const expectExactlyTheLimit = (codes: string[]) => {
  const tally: Record<string, number> = {};
  for (const code of codes) tally[code] = (tally[code] ?? 0) + 1;
  expect(tally).toEqual({ OK: LIMIT, RATE_LIMITED: ATTEMPTS - LIMIT });
};

// A limit shared through Redis must hold for requests that arrive together on different
// processes: reading a count and writing it back lets each process see the old count.
describe.each(testDatabases)("registrations sent at once to two servers sharing Redis, each on %s", (kind) => {
  let servers: TestServer[] = [];
  beforeAll(async () => {
    const env = { REDIS_URL, REDIS_PREFIX: `latchkey-test-${randomBytes(4).toString("hex")}:`, RATE_LIMIT_REGISTER: `${LIMIT}/1h` };
    servers = [await startTestServer(kind, { env }), await startTestServer(kind, { env })];
  });
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  it(`lets exactly ${LIMIT} of ${ATTEMPTS} registrations from one address through`, async () => {
    expectExactlyTheLimit(await registerAtOnce(servers.map((s) => s.url)));
  });
});

describe.each(testDatabases)("registrations sent at once to one server without Redis on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { RATE_LIMIT_REGISTER: `${LIMIT}/1h` } });
  });
  afterAll(() => server.stop());

  it(`lets exactly ${LIMIT} of ${ATTEMPTS} registrations from one address through`, async () => {
    expectExactlyTheLimit(await registerAtOnce([server.url]));
  });
});

describe("registrations sent at once to two server processes (WORKERS=2, PostgreSQL, Redis)", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startTwoWorkers("flood", { RATE_LIMIT_REGISTER: `${LIMIT}/1h` });
  }, 120_000);
  afterAll(() => server?.stop());

  it(`lets exactly ${LIMIT} of ${ATTEMPTS} registrations from one address through`, async () => {
    expectExactlyTheLimit(await registerAtOnce([server.url]));
  }, 60_000);
});
