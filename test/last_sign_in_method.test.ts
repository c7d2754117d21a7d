import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { REFRESH, login, registerUser, registerVerifiedUser } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME, signedInAs } from "./support/admin";
import { addPasskey, passkeyLogin } from "./support/passkeys";
import { authorizeAt, signInOk, useServerWithOidcProvider } from "./support/oauth";
import type { TestOidcProvider } from "./support/oidc-test-provider";
import { Browserless, RP_REDIRECT, authorizationRequest, oidc, registerClient, relyingParty, startOidcServer } from "./support/oidc-browserless";
import { BEGIN_TOTP, CONFIRM, nextTotpCode, passwordStep, userWithTwoFactor, verify } from "./support/two-factor";

const ME = /* GraphQL */ `query { me { id lastLoginAt lastSignInMethod } }`;
const USER = /* GraphQL */ `query ($id: ID!) { user(id: $id) { id lastLoginAt lastSignInMethod } }`;
const IMPERSONATE = /* GraphQL */ `
  mutation ($userId: ID!, $reason: String!) { impersonateUser(userId: $userId, reason: $reason) { accessToken } }
`;
const COMPLETE_OAUTH_OR_CHALLENGE = /* GraphQL */ `
  mutation Complete($input: OAuthCompleteInput!) {
    completeOAuthLogin(input: $input) {
      __typename
      ... on AuthPayload { accessToken }
      ... on TwoFactorChallenge { challengeToken }
    }
  }
`;

// An app suggests the way a person signed in last. Each sign-in records how its first step
// proved who signs in; a second factor completes that sign-in without changing it, and what is
// no sign-in by the person (a refresh, an ADMIN's impersonation) leaves it as it was.
describe.each(testDatabases)("User.lastSignInMethod on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
  useServerWithOidcProvider(kind, (started) => ({ op, server } = started), { env: ADMIN_ENV });

  const prisma = () => server.app.database.prisma;
  const adminToken = async () => (await login(server, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken;
  async function methodOf(token: string): Promise<string | null> {
    const { body } = await server.gql(ME, {}, { token });
    expect(body.errors).toBeUndefined();
    return body.data.me.lastSignInMethod;
  }
  const storedMethod = async (userId: string) => (await prisma().user.findUniqueOrThrow({ where: { id: userId } })).lastSignInMethod;

  it("is null until the first sign-in, then PASSWORD after a password login", async () => {
    const user = await registerUser(server);
    const admin = await adminToken();
    expect((await server.gql(USER, { id: user.id }, { token: admin })).body.data.user).toMatchObject({ lastLoginAt: null, lastSignInMethod: null });
    const { accessToken } = await login(server, user.username);
    expect(await methodOf(accessToken)).toBe("PASSWORD");
    expect(await storedMethod(user.id)).toBe("PASSWORD");
  });

  it("is PASSKEY after a passkey sign-in; refreshing an earlier password session and an ADMIN's impersonation leave it", async () => {
    const user = await registerVerifiedUser(server);
    const first = await login(server, user.username);
    const passkey = await addPasskey(server, first.accessToken);
    const signedIn = await passkeyLogin(server, passkey.authenticator);
    expect(signedIn.body.errors).toBeUndefined();
    expect(await methodOf(signedIn.body.data.finishPasskeyLogin.accessToken)).toBe("PASSKEY");
    const lastLoginAt = (await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt!.getTime();

    server.clock.advance(60_000);
    const refreshed = await server.gql(REFRESH, { token: first.refreshToken });
    expect(refreshed.body.errors).toBeUndefined();
    expect(await methodOf(refreshed.body.data.refreshSession.accessToken)).toBe("PASSKEY");

    const impersonated = await server.gql(IMPERSONATE, { userId: user.id, reason: "Ticket 28: which sign-in did they use?" }, { token: await adminToken() });
    expect(impersonated.body.errors).toBeUndefined();
    expect(await methodOf(impersonated.body.data.impersonateUser.accessToken)).toBe("PASSKEY");
    const row = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.lastSignInMethod).toBe("PASSKEY");
    expect(row.lastLoginAt!.getTime()).toBe(lastLoginAt);

    // The next password sign-in replaces it.
    expect(await methodOf((await login(server, user.username)).accessToken)).toBe("PASSWORD");
  });

  it("is OAUTH after a sign-in with a provider", async () => {
    const account = op.addAccount({ sub: `oauth-${kind}`, email: `oauth-${kind}@example.org`, email_verified: true, preferred_username: `oauth_${kind}` });
    const signedIn = await signInOk(server, op, account.sub);
    expect(await methodOf(signedIn.accessToken)).toBe("OAUTH");
    expect(await storedMethod(signedIn.user.id)).toBe("OAUTH");
  });

  it("through a second factor, keeps the provider sign-in's method (OAUTH)", async () => {
    const account = op.addAccount({ sub: `twofactor-${kind}`, email: `twofactor-${kind}@example.org`, email_verified: true, preferred_username: `twofactor_${kind}` });
    const first = await signInOk(server, op, account.sub);
    const begun = await server.gql(BEGIN_TOTP, {}, { token: first.accessToken });
    expect(begun.body.errors).toBeUndefined();
    const secret = begun.body.data.beginTotpEnrollment.secret;
    const confirmed = await server.gql(CONFIRM, { code: nextTotpCode(server, secret) }, { token: first.accessToken });
    expect(confirmed.body.errors).toBeUndefined();
    // Something else last, so that only the challenge's method can make it OAUTH again.
    await prisma().user.update({ where: { id: first.user.id }, data: { lastSignInMethod: "PASSWORD" } });

    const again = await server.gql(COMPLETE_OAUTH_OR_CHALLENGE, { input: await oauthInput(account.sub) });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.completeOAuthLogin.__typename).toBe("TwoFactorChallenge");
    expect(await storedMethod(first.user.id)).toBe("PASSWORD");
    const verified = await verify(server, again.body.data.completeOAuthLogin.challengeToken, nextTotpCode(server, secret));
    expect(verified.body.errors).toBeUndefined();
    expect(await methodOf(verified.body.data.verifyTwoFactorLogin.accessToken)).toBe("OAUTH");
  });

  it("through a second factor, keeps the password's method (PASSWORD)", async () => {
    const user = await userWithTwoFactor(server);
    await prisma().user.update({ where: { id: user.id }, data: { lastSignInMethod: "OAUTH" } });
    const challenge = await passwordStep(server, user.username);
    expect(await storedMethod(user.id)).toBe("OAUTH");
    const verified = await verify(server, challenge.challengeToken, nextTotpCode(server, user.secret));
    expect(verified.body.errors).toBeUndefined();
    expect(await methodOf(verified.body.data.verifyTwoFactorLogin.accessToken)).toBe("PASSWORD");
  });

  it("shows others what lastLoginAt shows: staff see it, a MODERATOR not an ADMIN's, other users not at all", async () => {
    const user = await registerUser(server);
    await login(server, user.username);
    const moderator = await signedInAs(server, "MODERATOR");
    const plain = await signedInAs(server, "USER");
    const admin = await adminToken();
    const adminId = (await server.gql(ME, {}, { token: admin })).body.data.me.id;

    expect((await server.gql(USER, { id: user.id }, { token: moderator.token })).body.data.user.lastSignInMethod).toBe("PASSWORD");
    expect((await server.gql(USER, { id: user.id }, { token: admin })).body.data.user.lastSignInMethod).toBe("PASSWORD");
    const adminByModerator = await server.gql(USER, { id: adminId }, { token: moderator.token });
    expect(adminByModerator.body.data.user).toMatchObject({ lastLoginAt: null, lastSignInMethod: null });
    expect((await server.gql(USER, { id: adminId }, { token: admin })).body.data.user.lastSignInMethod).toBe("PASSWORD");
    const byUser = await server.gql(USER, { id: user.id }, { token: plain.token });
    expect(byUser.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(JSON.stringify(byUser.body.data ?? null)).not.toContain("PASSWORD");
  });

  /** A fresh provider round trip's completeOAuthLogin input. */
  async function oauthInput(sub: string) {
    const { authorizationUrl, ...input } = await authorizeAt(server, op, sub);
    void authorizationUrl;
    return input;
  }
});

// The OpenID Provider's own sign-in page takes the password: a PASSWORD sign-in like login.
describe.each(testDatabases)("User.lastSignInMethod through the OpenID Provider's sign-in page on %s", (kind) => {
  let server: TestServer;
  let config: oidc.Configuration;
  beforeAll(async () => {
    server = await startOidcServer(kind);
    config = await relyingParty(server, await registerClient(server, { name: "Method check" }));
  });
  afterAll(() => server?.stop());

  it("records PASSWORD", async () => {
    const user = await registerUser(server);
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { lastSignInMethod: "PASSKEY" } });
    const browser = new Browserless();
    const start = await authorizationRequest(config, { scope: "openid", prompt: "consent" });
    const page = await browser.navigate(start.url.toString(), {}, RP_REDIRECT);
    expect(page.inputNames()).toEqual(expect.arrayContaining(["identifier", "password"]));
    const next = await browser.submit(page, { identifier: user.username, password: user.password }, { stopAt: RP_REDIRECT });
    expect(next.status).toBe(200);
    const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.lastSignInMethod).toBe("PASSWORD");
    expect(row.lastLoginAt).not.toBeNull();
  });
});
