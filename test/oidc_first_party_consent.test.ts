import * as client from "openid-client";
import { START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser } from "./support/accounts";
import { REDIRECT_URI, registerClient, relyingParty, startProviderServer } from "./support/oidc-relying-party";
import { CookieJar, authorizeWithEngine } from "./support/oidc-engine-flow";

/** First-party clients skip the consent step (the engine's loadExistingGrant); others are asked once, then remembered. */
describe.each(testDatabases)("OpenID Provider consent for first- and third-party clients on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startProviderServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  async function promptsFor(config: client.Configuration, userId: string, jar: CookieJar) {
    const prompts: string[] = [];
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: "openid profile email",
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: "S256",
    });
    const callback = await authorizeWithEngine(server.app.services.oidc!, url, userId, REDIRECT_URI, jar, prompts);
    expect(callback.searchParams.get("code")).toEqual(expect.any(String));
    return prompts;
  }

  it("asks a first-party client's user to sign in only", async () => {
    const user = await registerUser(server);
    const config = await relyingParty(server, await registerClient(server, { firstParty: true }));
    expect(await promptsFor(config, user.id, new CookieJar())).toEqual(["login"]);
  });

  it("asks for consent at a third-party client, once per browser session and scope", async () => {
    const user = await registerUser(server);
    const config = await relyingParty(server, await registerClient(server, { firstParty: false }));
    const jar = new CookieJar();
    expect(await promptsFor(config, user.id, jar)).toEqual(["login", "consent"]);
    // Signed in and consented: the same request goes straight through.
    expect(await promptsFor(config, user.id, jar)).toEqual([]);
  });
});
