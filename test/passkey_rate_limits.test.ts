import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerVerifiedUser } from "./support/accounts";
import { SoftwareAuthenticator } from "./support/software-authenticator";
import { BEGIN_LOGIN, BEGIN_REGISTRATION, FINISH_LOGIN, FINISH_REGISTRATION } from "./support/passkeys";

// The passkey mutations are rate limited like login: per IP (and identifier), per user for registration.
describe.each(testDatabases)("passkey rate limits on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, {
      env: {
        RATE_LIMIT_BEGIN_PASSKEY_LOGIN: "2/1m",
        RATE_LIMIT_FINISH_PASSKEY_LOGIN: "3/1m",
        RATE_LIMIT_BEGIN_PASSKEY_REGISTRATION: "2/1m",
        RATE_LIMIT_FINISH_PASSKEY_REGISTRATION: "2/1m",
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const codes = (responses: Array<{ body: any }>) => responses.map((r) => r.body.errors?.[0]?.extensions?.code ?? "ok");

  it("limits beginPasskeyLogin per identifier and finishPasskeyLogin per IP", async () => {
    const begins = [];
    for (const identifier of ["alice", "ALICE ", "alice", "bob"]) begins.push(await server.gql(BEGIN_LOGIN, { identifier }));
    expect(codes(begins)).toEqual(["ok", "ok", "RATE_LIMITED", "ok"]);
    expect(begins[2].body.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);

    const finishes = [];
    for (let i = 0; i < 4; i++) finishes.push(await server.gql(FINISH_LOGIN, { challengeToken: "spent", responseJson: "{}" }));
    expect(codes(finishes)).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
  });

  it("limits registration per user", async () => {
    const user = await registerVerifiedUser(server);
    const { accessToken } = await login(server, user.username);
    const begins = [];
    for (let i = 0; i < 3; i++) begins.push(await server.gql(BEGIN_REGISTRATION, {}, { token: accessToken }));
    expect(codes(begins)).toEqual(["ok", "ok", "RATE_LIMITED"]);
    const responseJson = new SoftwareAuthenticator().register(begins[0].body.data.beginPasskeyRegistration);
    const finishes = [];
    for (let i = 0; i < 3; i++) finishes.push(await server.gql(FINISH_REGISTRATION, { responseJson }, { token: accessToken }));
    expect(codes(finishes)).toEqual(["ok", "BAD_USER_INPUT", "RATE_LIMITED"]);
  });
});
