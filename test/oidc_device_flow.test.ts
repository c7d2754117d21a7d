import { testDatabases } from "./support/databases";
import type { TestServer } from "./support/test-server";
import { registerUser } from "./support/accounts";
import { Browserless, oidc, registerClient, relyingParty, startOidcServer, type Page } from "./support/oidc-browserless";
import { DEVICE_CODE_GRANT } from "../src/provider";

describe.each(testDatabases)("device authorization (RFC 8628) through the provider's pages on %s", (kind) => {
  let server: TestServer;
  let config: oidc.Configuration;

  beforeAll(async () => {
    server = await startOidcServer(kind);
    const client = await registerClient(server, { name: "Living-room TV", public: true, redirectUris: [], grantTypes: [DEVICE_CODE_GRANT, "refresh_token"] });
    config = await relyingParty(server, client);
  });
  afterAll(() => server?.stop());

  /** The device's one poll of the token endpoint. */
  const poll = (deviceCode: string) => oidc.genericGrantRequest(config, DEVICE_CODE_GRANT, { device_code: deviceCode });

  /** Opens the verification page and enters the code; the confirmation page. */
  async function enterCode(browser: Browserless, verificationUri: string, userCode: string): Promise<Page> {
    const input = await browser.navigate(verificationUri);
    expect(input.status).toBe(200);
    expect(input.text()).toContain("Enter the code shown on your device");
    expect(input.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    return browser.submit(input, { user_code: userCode });
  }

  it("signs the device in once the user enters its code, signs in and consents", async () => {
    const user = await registerUser(server);
    const device = await oidc.initiateDeviceAuthorization(config, { scope: "openid profile offline_access" });
    expect(device.verification_uri).toBe(`${server.app.config.publicUrl}/oidc/device`);
    await expect(poll(device.device_code)).rejects.toMatchObject({ error: "authorization_pending" });

    const browser = new Browserless();
    const confirm = await enterCode(browser, device.verification_uri, device.user_code);
    expect(confirm.text()).toContain("Living-room TV");
    expect(confirm.text()).toContain(device.user_code);
    const signIn = await browser.submit(confirm, {});
    expect(signIn.inputNames()).toEqual(expect.arrayContaining(["identifier", "password"]));
    const consent = await browser.submit(signIn, { identifier: user.username, password: user.password });
    expect(consent.text()).toContain("Living-room TV");
    const done = await browser.submit(consent, {}, { button: "approve" });
    expect(done.status).toBe(200);
    expect(done.text()).toContain("Your device is now signed in");

    const tokens = await poll(device.device_code);
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.claims()?.sub).toBe(user.id);
    expect(await oidc.fetchUserInfo(config, tokens.access_token, user.id)).toMatchObject({ sub: user.id, preferred_username: user.username });
    // The device code is spent.
    await expect(poll(device.device_code)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("says so when the code is wrong, and the device is refused when the user cancels", async () => {
    const device = await oidc.initiateDeviceAuthorization(config, { scope: "openid" });
    const browser = new Browserless();
    const wrong = await enterCode(browser, device.verification_uri, "BCDF-GHJK");
    expect(wrong.text()).toContain("not valid or has expired");
    expect(wrong.inputNames()).toContain("user_code");

    const confirm = await browser.submit(wrong, { user_code: device.user_code });
    const cancelled = await browser.submit(confirm, {}, { button: "abort" });
    expect(cancelled.text()).toContain("cancelled");
    await expect(poll(device.device_code)).rejects.toMatchObject({ error: "access_denied" });
  });
});
