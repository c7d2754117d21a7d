import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";

// RATE_LIMIT_<KEY>=off turns one rule off (a gateway in front may limit instead); the others hold.
describe.each(testDatabases)("a rate limit turned off on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { RATE_LIMIT_REGISTER: "off", RATE_LIMIT_REFRESH_SESSION: "2/1m" } });
  });
  afterAll(() => server.stop());

  const register = () =>
    server.gql(REGISTER, { input: { username: uniqueName("nolimit"), password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });

  it("lets every call of that field through, past the default limit of 20 an hour", async () => {
    const codes = [];
    for (let i = 0; i < 24; i++) codes.push((await register()).body.errors?.[0]?.extensions?.code ?? "ok");
    expect(codes).toEqual(Array(24).fill("ok"));
  });

  it("still applies the rules left on", async () => {
    const refresh = () => server.gql(`mutation { refreshSession(refreshToken: "not-a-token") { accessToken } }`);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await refresh()).body.errors?.[0]?.extensions?.code);
    expect(codes).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
  });

  it("refuses a value that is neither max/window nor off", async () => {
    await expect(startTestServer(kind, { env: { RATE_LIMIT_LOGIN: "none" } })).rejects.toThrow(/RATE_LIMIT_LOGIN must look like 10\/1m/);
  });
});
