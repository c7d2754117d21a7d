import { testDatabases } from "./support/databases";
import type { TestServer } from "./support/test-server";
import { LOGIN } from "./support/accounts";
import { REMOVE_MEMBER, SET_ACTIVE_ORGANIZATION, addMember, createOrganization, signedInVerifiedUser, type SignedIn } from "./support/organizations";
import {
  Browserless, RP_REDIRECT, authorizationRequest, exchangeCode, oidc, registerClient, relyingParty, startOidcServer,
  type AuthorizationStart, type Page, type RegisteredClient,
} from "./support/oidc-browserless";

const SCOPES = "openid profile offline_access";

/**
 * The organization a Latchkey session acts for (setActiveOrganization) reaches the OpenID
 * Provider's ID tokens and userinfo when that session signed the browser in, and only while
 * the user is still a member: the membership is read whenever the claims are made.
 */
describe.each(testDatabases)("organization claims in the provider's ID tokens on %s", (kind) => {
  let server: TestServer;
  let client: RegisteredClient;
  let config: oidc.Configuration;

  beforeAll(async () => {
    server = await startOidcServer(kind);
    client = await registerClient(server, { name: "Team app", firstParty: true });
    config = await relyingParty(server, client);
  });
  afterAll(() => server?.stop());

  /** Follows the authorization to the redirect URI; a consent page, if any, is approved. */
  async function authorize(browser: Browserless, start: AuthorizationStart, first: Page): Promise<string> {
    let page = first;
    if (!page.redirectedTo && page.forms()[0]?.buttons.approve !== undefined) page = await browser.submit(page, {}, { button: "approve", stopAt: RP_REDIRECT });
    expect(page.redirectedTo).toBeDefined();
    return page.redirectedTo!;
  }

  /** A browser signed in to Latchkey (the lk_access cookie) whose session acts for `organizationId`. */
  async function browserActingFor(user: SignedIn, organizationId: string): Promise<Browserless> {
    const signedIn = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    const cookie = signedIn.headers.getSetCookie().find((line) => line.startsWith("lk_access="))!;
    const token = cookie.split(";")[0].slice("lk_access=".length);
    const set = await server.gql(SET_ACTIVE_ORGANIZATION, { id: organizationId }, { token });
    expect(set.body.errors).toBeUndefined();
    const browser = new Browserless();
    browser.setCookie("lk_access", token, { sameSiteStrict: true });
    return browser;
  }

  it("a sign-in through the Latchkey session carries org_id and org_role; after a removal the refreshed ID token and userinfo do not", async () => {
    const owner = await signedInVerifiedUser(server);
    const member = await signedInVerifiedUser(server);
    const organization = await createOrganization(server, owner);
    await addMember(server, owner, organization.id, member, "ADMIN");
    const browser = await browserActingFor(member, organization.id);

    // offline_access (a refresh token) needs prompt=consent.
    const start = await authorizationRequest(config, { scope: SCOPES, prompt: "consent" });
    const callback = await authorize(browser, start, await browser.navigate(start.url.toString(), {}, RP_REDIRECT));
    const tokens = await exchangeCode(config, start, callback);
    expect(tokens.claims()).toMatchObject({ sub: member.id, org_id: organization.id, org_role: "ADMIN" });
    expect(await oidc.fetchUserInfo(config, tokens.access_token, member.id)).toMatchObject({ org_id: organization.id, org_role: "ADMIN" });

    // Still a member: a refresh keeps the claims.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()).toMatchObject({ sub: member.id, org_id: organization.id, org_role: "ADMIN" });

    const removed = await server.gql(REMOVE_MEMBER, { organizationId: organization.id, userId: member.id }, { token: owner.token });
    expect(removed.body.errors).toBeUndefined();
    const after = await oidc.refreshTokenGrant(config, refreshed.refresh_token!);
    expect(after.claims()!.sub).toBe(member.id);
    expect(after.claims()).not.toHaveProperty("org_id");
    expect(after.claims()).not.toHaveProperty("org_role");
    const info = await oidc.fetchUserInfo(config, after.access_token, member.id);
    expect(info).not.toHaveProperty("org_id");
    expect(info).not.toHaveProperty("org_role");
  });

  it("a sign-in through the password form carries no organization, even for a member whose other session has one", async () => {
    const owner = await signedInVerifiedUser(server);
    const organization = await createOrganization(server, owner);
    await browserActingFor(owner, organization.id);

    const browser = new Browserless();
    const start = await authorizationRequest(config, { scope: SCOPES });
    const form = await browser.navigate(start.url.toString(), {}, RP_REDIRECT);
    expect(form.inputNames()).toEqual(expect.arrayContaining(["identifier", "password"]));
    const next = await browser.submit(form, { identifier: owner.username, password: owner.password }, { stopAt: RP_REDIRECT });
    const tokens = await exchangeCode(config, start, await authorize(browser, start, next));
    expect(tokens.claims()!.sub).toBe(owner.id);
    expect(tokens.claims()).not.toHaveProperty("org_id");
    expect(tokens.claims()).not.toHaveProperty("org_role");
    expect(await oidc.fetchUserInfo(config, tokens.access_token, owner.id)).not.toHaveProperty("org_id");
  });
});
