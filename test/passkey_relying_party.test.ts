import { loadConfig } from "../src/config";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerVerifiedUser } from "./support/accounts";
import { SoftwareAuthenticator } from "./support/software-authenticator";
import { BEGIN_REGISTRATION, addPasskey, passkeyLogin } from "./support/passkeys";

const base = { NODE_ENV: "test", APP_SECRET: "x".repeat(40), DATA_DIR: "/tmp/latchkey-config-test" };

describe("relying-party configuration", () => {
  it("defaults the RP ID and origin to PUBLIC_URL's, the name to Latchkey", () => {
    expect(loadConfig({ ...base, PUBLIC_URL: "https://id.example.com:8443/base/" }).webauthn).toEqual({
      rpId: "id.example.com",
      rpName: "Latchkey",
      origins: ["https://id.example.com:8443"],
    });
  });

  it("takes WEBAUTHN_RP_ID, WEBAUTHN_RP_NAME and a list of WEBAUTHN_ORIGINS", () => {
    const config = loadConfig({
      ...base,
      WEBAUTHN_RP_ID: "Example.com",
      WEBAUTHN_RP_NAME: "Example Accounts",
      WEBAUTHN_ORIGINS: "https://app.example.com, https://admin.example.com/",
    });
    expect(config.webauthn).toEqual({ rpId: "example.com", rpName: "Example Accounts", origins: ["https://app.example.com", "https://admin.example.com"] });
  });

  it("refuses an origin with a path and an RP ID that is a URL", () => {
    expect(() => loadConfig({ ...base, WEBAUTHN_ORIGINS: "https://app.example.com/login" })).toThrow(/WEBAUTHN_ORIGINS/);
    expect(() => loadConfig({ ...base, WEBAUTHN_RP_ID: "https://example.com" })).toThrow(/WEBAUTHN_RP_ID/);
  });
});

// An app on its own origin under the RP ID's domain: its answers pass, the API's own origin no longer does.
describe.each(testDatabases)("configured relying party on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { WEBAUTHN_RP_ID: "example.com", WEBAUTHN_ORIGINS: "https://app.example.com" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("makes passkeys for the RP ID and accepts only the listed origins", async () => {
    const user = await registerVerifiedUser(server);
    const { accessToken } = await login(server, user.username);
    const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: accessToken });
    expect(JSON.parse(begun.body.data.beginPasskeyRegistration).rp).toEqual({ id: "example.com", name: "Latchkey" });

    const { authenticator } = await addPasskey(server, accessToken, { authenticator: new SoftwareAuthenticator("https://app.example.com") });
    expect((await passkeyLogin(server, authenticator)).body.data?.finishPasskeyLogin.user.id).toBe(user.id);
    const fromApiOrigin = await passkeyLogin(server, authenticator, { overrides: { origin: "http://localhost:4000" } });
    expect(fromApiOrigin.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});
