import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext } from "playwright-core";
import { testDatabases } from "./support/databases";
import type { TestServer } from "./support/test-server";
import { login, registerVerifiedUser } from "./support/accounts";
import { launchChromium, screenshot, watchedPage, type PageWatch } from "./support/browser";
import { BEGIN_REGISTRATION, FINISH_REGISTRATION } from "./support/passkeys";
import { authorizationRequest, exchangeCode, registerClient, relyingParty, startOidcServer } from "./support/oidc-browserless";

// The one part of the provider's pages that needs JavaScript: the passkey button, in Chromium
// with a virtual authenticator, under the pages' CSP (a violation shows as a console error).
// Browser behaviour does not depend on the database, so one kind.
describe(`the provider's passkey button in a browser (${testDatabases[0]})`, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let watch: PageWatch;

  beforeAll(async () => {
    // WebAuthn needs a secure context and a host name as RP ID: http://localhost.
    server = await startOidcServer(testDatabases[0], {}, "localhost");
    browser = await launchChromium();
    context = await browser.newContext();
    watch = await watchedPage(context);
    const cdp = await context.newCDPSession(watch.page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("signs in with a passkey on the sign-in page and continues to the client", async () => {
    // The client: a local page at its redirect URI that records where the browser arrived.
    const arrivals: string[] = [];
    const rp = http.createServer((req, res) => {
      arrivals.push(req.url ?? "");
      res.end("back at the client");
    });
    await new Promise<void>((resolve) => rp.listen(0, "127.0.0.1", resolve));
    const redirectUri = `http://localhost:${(rp.address() as AddressInfo).port}/callback`;
    try {
      const config = await relyingParty(server, await registerClient(server, { firstParty: true, redirectUris: [redirectUri] }));
      const user = await registerVerifiedUser(server);
      const { accessToken } = await login(server, user.username);
      const start = await authorizationRequest(config, { scope: "openid profile", redirect_uri: redirectUri });
      const { page } = watch;

      await page.goto(start.url.toString());
      await page.getByLabel("Password").waitFor();
      await screenshot(page, "oidc-sign-in-page");
      // A passkey for the account, made by this browser's authenticator on the provider's origin.
      const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: accessToken });
      const responseJson = await page.evaluate(async (optionsJson: string) => {
        const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(optionsJson));
        const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
        return JSON.stringify(credential.toJSON());
      }, begun.body.data.beginPasskeyRegistration as string);
      const finished = await server.gql(FINISH_REGISTRATION, { responseJson }, { token: accessToken });
      expect(finished.body.errors).toBeUndefined();

      await page.getByLabel("Username or e-mail").fill(user.username);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.waitForURL((url) => url.toString().startsWith(redirectUri));
      await screenshot(page, "oidc-passkey-signed-in");
      const tokens = await exchangeCode(config, start, new URL(arrivals.at(-1)!, redirectUri).toString());
      expect(tokens.claims()!.sub).toBe(user.id);
      const signIn = await server.app.database.prisma.auditEvent.findFirst({ where: { userId: user.id, type: "LOGIN_SUCCEEDED" }, orderBy: { createdAt: "desc" } });
      expect(signIn?.metadata).toMatchObject({ method: "PASSKEY" });
      expect(watch.errors).toEqual([]);
      expect(watch.offsiteRequests).toEqual([]);
    } finally {
      await new Promise((resolve) => rp.close(resolve));
    }
  });
});
