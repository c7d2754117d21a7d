import { START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser } from "./support/accounts";
import { registerClient, startProviderServer } from "./support/oidc-relying-party";
import { CookieJar, finishSignInWithEngine } from "./support/oidc-engine-flow";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/**
 * Device authorization (RFC 8628) at the engine level: the device asks for a code, polls while
 * the user has not approved, and gets tokens once the user entered the code, signed in (through
 * the engine's interaction API, not the HTML sign-in page) and confirmed.
 */
describe.each(testDatabases)("OpenID Provider device authorization on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startProviderServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  const form = (path: string, body: Record<string, string>, init: { cookie?: string; authorization?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.authorization ? { authorization: init.authorization } : {}),
      },
      body: new URLSearchParams(body).toString(),
    });

  it("issues tokens to a public device client once the user enters the code, signs in and confirms", async () => {
    const user = await registerUser(server);
    const registered = await registerClient(server, { public: true, grantTypes: [DEVICE_GRANT, "refresh_token"], redirectUris: [] });
    const started = await form("/oidc/device/auth", { client_id: registered.clientId, scope: "openid profile offline_access" });
    expect(started.status).toBe(200);
    const device = (await started.json()) as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; interval: number };
    expect(device.verification_uri).toBe(`${server.url}/oidc/device`);
    const poll = () => form("/oidc/token", { grant_type: DEVICE_GRANT, device_code: device.device_code, client_id: registered.clientId });
    const pending = await poll();
    expect(pending.status).toBe(400);
    expect(((await pending.json()) as { error: string }).error).toBe("authorization_pending");

    // The user's browser: the code page, the code posted with the page's CSRF token, then sign-in.
    const jar = new CookieJar();
    const page = await fetch(device.verification_uri, { headers: { cookie: jar.header() } });
    jar.store(page);
    const html = await page.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(xsrf).toEqual(expect.any(String));
    const wrong = await form("/oidc/device", { xsrf: xsrf!, user_code: "BCDF-GHJK" }, { cookie: jar.header() });
    jar.store(wrong);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toMatch(/not valid or has expired/);
    // The page shown again carries a fresh form token.
    const retryXsrf = /name="xsrf" value="([^"]+)"/.exec(wrongHtml)![1];

    // The code entered: the engine asks to confirm it is the device's code (the page shows it).
    const entered = await form("/oidc/device", { xsrf: retryXsrf, user_code: device.user_code }, { cookie: jar.header() });
    jar.store(entered);
    expect(entered.status).toBe(200);
    const confirmHtml = await entered.text();
    expect(confirmHtml).toContain(device.user_code);
    const confirmXsrf = /name="xsrf" value="([^"]+)"/.exec(confirmHtml)![1];
    const confirmed = await form("/oidc/device", { xsrf: confirmXsrf, user_code: device.user_code, confirm: "yes" }, { cookie: jar.header() });
    jar.store(confirmed);
    // Then sign-in (and consent, when the engine asks), finished through the engine.
    expect(confirmed.status).toBe(303);
    let next = await finishSignInWithEngine(server.app.services.oidc!, new URL(confirmed.headers.get("location")!, server.url), user.id, jar);
    let done = await fetch(next, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(done);
    while (done.headers.get("location")) {
      next = await finishSignInWithEngine(server.app.services.oidc!, new URL(done.headers.get("location")!, server.url), user.id, jar);
      done = await fetch(next, { redirect: "manual", headers: { cookie: jar.header() } });
      jar.store(done);
    }
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Device connected");

    const granted = await poll();
    expect(granted.status).toBe(200);
    const tokens = (await granted.json()) as { access_token: string; id_token: string; refresh_token?: string };
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.id_token).toEqual(expect.any(String));
    // The code is single use.
    expect(((await (await poll()).json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("refuses the device grant to a client not registered for it", async () => {
    const registered = await registerClient(server, { public: true, grantTypes: ["authorization_code"] });
    const started = await form("/oidc/device/auth", { client_id: registered.clientId, scope: "openid" });
    expect(started.status).toBe(400);
  });
});
