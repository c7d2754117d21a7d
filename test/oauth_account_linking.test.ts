import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, login, registerUser, uniqueName, type RegisteredUser } from "./support/accounts";
import { NEW_PASSWORD, REQUEST_RESET, RESET_PASSWORD, VERIFY_EMAIL } from "./support/recovery";
import type { TestOidcProvider } from "./support/oidc-test-provider";
import { LINK_OAUTH, UNLINK_OAUTH, authorizeAt, signInOk, signInWith, useServerWithOidcProvider } from "./support/oauth";

const ME_LINKS = /* GraphQL */ `query { me { id linkedProviders } }`;

describe.each(testDatabases)("linking provider accounts on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
    // "twin" is a second configured provider (the same test provider under another id).
  useServerWithOidcProvider(kind, (started) => ({ op, server } = started), { extraProviders: (op) => [op.latchkeyConfig({ id: "twin", name: "Twin" })] });
  const prisma = () => server.app.database.prisma;

  /** The token of the newest mailed link of a kind (mail is kept in the outbox without SMTP). */
  async function mailedToken(email: string, path: string): Promise<string> {
    const mails = await prisma().outboxMail.findMany({ where: { to: email }, orderBy: { createdAt: "desc" } });
    for (const mail of mails) {
      const match = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
      if (match) return match[1];
    }
    throw new Error(`no ${path} link mailed to ${email}`);
  }

  async function registerVerified(): Promise<RegisteredUser> {
    const user = await registerUser(server);
    const { body } = await server.gql(VERIFY_EMAIL, { token: await mailedToken(user.email, "/verify-email") });
    expect(body.data?.verifyEmail.emailVerified).toBe(true);
    return user;
  }

  /**
   * An account every way into which dates from after its address was proven: verified, then
   * its sign-up password replaced through a reset link. Only such an account is joined by e-mail.
   */
  async function registerProven(): Promise<RegisteredUser> {
    const user = await registerVerified();
    await server.gql(REQUEST_RESET, { email: user.email });
    const reset = await server.gql(RESET_PASSWORD, { input: { token: await mailedToken(user.email, "/reset-password"), newPassword: NEW_PASSWORD } });
    expect(reset.body.data?.resetPassword).toBe(true);
    return { ...user, password: NEW_PASSWORD };
  }

  const linksOf = (userId: string) => prisma().oAuthAccount.findMany({ where: { userId } });

  describe("by e-mail at sign-in", () => {
    it("links to the user whose verified e-mail the provider also says is verified (any case)", async () => {
      const user = await registerProven();
      const account = op.addAccount({ sub: uniqueName("sub"), email: user.email.toUpperCase(), email_verified: true });
      const payload = await signInOk(server, op, account.sub);
      expect(payload.user).toMatchObject({ id: user.id, username: user.username, email: user.email, linkedProviders: ["testop"] });
      expect(await linksOf(user.id)).toEqual([expect.objectContaining({ provider: "testop", providerSubject: account.sub })]);
      const linked = await prisma().auditEvent.findFirst({ where: { userId: user.id, type: "OAUTH_ACCOUNT_LINKED" } });
      expect(linked?.metadata).toMatchObject({ provider: "testop", via: "VERIFIED_EMAIL" });
      // The password still works, and the provider now signs in the same user without the e-mail match.
      expect((await login(server, user.username, user.password)).user.id).toBe(user.id);
      expect((await signInOk(server, op, account.sub)).user.id).toBe(user.id);
    });

    it("never links on an e-mail the provider has not verified", async () => {
      const user = await registerProven();
      for (const email_verified of [false, undefined]) {
        const account = op.addAccount({ sub: uniqueName("sub"), email: user.email, email_verified });
        const payload = await signInOk(server, op, account.sub);
        expect(payload.user.id).not.toBe(user.id);
        // The address belongs to the existing account; the new one starts without it.
        expect(payload.user.email).toBeNull();
      }
      expect(await linksOf(user.id)).toEqual([]);
    });

    it("never links to an account whose own e-mail is unverified", async () => {
      const user = await registerUser(server);
      const account = op.addAccount({ sub: uniqueName("sub"), email: user.email, email_verified: true });
      const payload = await signInOk(server, op, account.sub);
      expect(payload.user.id).not.toBe(user.id);
      expect(await linksOf(user.id)).toEqual([]);
    });

    it("refuses a disabled account with a matching verified e-mail, and links nothing", async () => {
      const user = await registerProven();
      await prisma().user.update({ where: { id: user.id }, data: { disabled: true } });
      const account = op.addAccount({ sub: uniqueName("sub"), email: user.email, email_verified: true });
      const { body } = await signInWith(server, op, account.sub);
      expect(body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DISABLED" });
      expect(await linksOf(user.id)).toEqual([]);
    });

    it("refuses to link a second account of one provider to a user by e-mail", async () => {
      const user = await registerProven();
      const first = op.addAccount({ sub: uniqueName("sub"), email: user.email, email_verified: true });
      await signInOk(server, op, first.sub);
      const second = op.addAccount({ sub: uniqueName("sub"), email: user.email, email_verified: true });
      const { body } = await signInWith(server, op, second.sub);
      expect(body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "provider" });
      expect((await linksOf(user.id)).map((link) => link.providerSubject)).toEqual([first.sub]);
    });
  });

  describe("while signed in", () => {
    it("links the provider account to the signed-in user, who can then sign in with it", async () => {
      const user = await registerVerified();
      const session = await login(server, user.username);
      // A different, unverified address: linking while signed in needs no e-mail match.
      const account = op.addAccount({ sub: uniqueName("sub"), email: "elsewhere@example.net", email_verified: false });
      const { authorizationUrl, ...input } = await authorizeAt(server, op, account.sub, { token: session.accessToken });
      void authorizationUrl;
      const flow = await prisma().oAuthFlow.findFirst({ where: { userId: user.id } });
      expect(flow?.purpose).toBe("LINK");

      const { body } = await server.gql(LINK_OAUTH, { input }, { token: session.accessToken });
      expect(body).toEqual({ data: { linkOAuthAccount: { id: user.id, linkedProviders: ["testop"] } } });
      const me = await server.gql(ME_LINKS, {}, { token: session.accessToken });
      expect(me.body.data.me.linkedProviders).toEqual(["testop"]);
      const audit = await prisma().auditEvent.findFirst({ where: { userId: user.id, type: "OAUTH_ACCOUNT_LINKED" } });
      expect(audit?.metadata).toMatchObject({ provider: "testop", via: "SIGNED_IN" });

      expect((await signInOk(server, op, account.sub)).user.id).toBe(user.id);
    });

    it("needs a signed-in caller", async () => {
      const { body } = await server.gql(LINK_OAUTH, { input: { provider: "testop", code: "x", state: "y" } });
      expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    });

    it("refuses a flow started signed out or by another user, and leaves it usable for its owner", async () => {
      const user = await registerVerified();
      const session = await login(server, user.username);
      const other = await registerVerified();
      const otherSession = await login(server, other.username);

      const signedOut = await authorizeAt(server, op, op.addAccount({ sub: uniqueName("sub") }).sub);
      const { authorizationUrl: unusedA, ...signedOutInput } = signedOut;
      void unusedA;
      const refused = await server.gql(LINK_OAUTH, { input: signedOutInput }, { token: session.accessToken });
      expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });

      const othersFlow = await authorizeAt(server, op, op.addAccount({ sub: uniqueName("sub") }).sub, { token: otherSession.accessToken });
      const { authorizationUrl: unusedB, ...othersInput } = othersFlow;
      void unusedB;
      const stolen = await server.gql(LINK_OAUTH, { input: othersInput }, { token: session.accessToken });
      expect(stolen.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });
      expect(await linksOf(user.id)).toEqual([]);

      const own = await server.gql(LINK_OAUTH, { input: othersInput }, { token: otherSession.accessToken });
      expect(own.body.data?.linkOAuthAccount).toEqual({ id: other.id, linkedProviders: ["testop"] });
    });

    it("refuses a provider account that is linked to another user", async () => {
      const account = op.addAccount({ sub: uniqueName("sub"), preferred_username: uniqueName("taken") });
      const owner = await signInOk(server, op, account.sub);
      const user = await registerVerified();
      const session = await login(server, user.username);
      const { authorizationUrl, ...input } = await authorizeAt(server, op, account.sub, { token: session.accessToken });
      void authorizationUrl;
      const { body } = await server.gql(LINK_OAUTH, { input }, { token: session.accessToken });
      expect(body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "provider" });
      expect((await linksOf(owner.user.id)).map((link) => link.providerSubject)).toEqual([account.sub]);
      expect(await linksOf(user.id)).toEqual([]);
    });
  });

  describe("unlinking", () => {
    it("removes a link from an account that has a password", async () => {
      const user = await registerVerified();
      const session = await login(server, user.username);
      const account = op.addAccount({ sub: uniqueName("sub") });
      const { authorizationUrl, ...input } = await authorizeAt(server, op, account.sub, { token: session.accessToken });
      void authorizationUrl;
      await server.gql(LINK_OAUTH, { input }, { token: session.accessToken });

      const { body } = await server.gql(UNLINK_OAUTH, { provider: "testop" }, { token: session.accessToken });
      expect(body).toEqual({ data: { unlinkOAuthAccount: { id: user.id, linkedProviders: [] } } });
      const audit = await prisma().auditEvent.findFirst({ where: { userId: user.id, type: "OAUTH_ACCOUNT_UNLINKED" } });
      expect(audit?.metadata).toMatchObject({ provider: "testop" });
      const again = await server.gql(UNLINK_OAUTH, { provider: "testop" }, { token: session.accessToken });
      expect(again.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
      // The provider account is a stranger again: it signs up a new user.
      expect((await signInOk(server, op, account.sub)).user.id).not.toBe(user.id);
    });

    it("refuses to remove the last way to sign in of an account made through a provider", async () => {
      const email = `${uniqueName("only")}@example.org`;
      const first = op.addAccount({ sub: uniqueName("sub"), email, email_verified: true });
      const payload = await signInOk(server, op, first.sub);
      const token = payload.accessToken;

      const last = await server.gql(UNLINK_OAUTH, { provider: "testop" }, { token });
      expect(last.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "LAST_SIGN_IN_METHOD" });
      expect(await linksOf(payload.user.id)).toHaveLength(1);

      // With a second provider linked, one of the two can go, but not the other.
      const second = op.addAccount({ sub: uniqueName("sub") });
      const { authorizationUrl, ...input } = await authorizeAt(server, op, second.sub, { token, provider: "twin" });
      void authorizationUrl;
      const linked = await server.gql(LINK_OAUTH, { input }, { token });
      expect(linked.body.data?.linkOAuthAccount.linkedProviders).toEqual(["testop", "twin"]);
      const one = await server.gql(UNLINK_OAUTH, { provider: "testop" }, { token });
      expect(one.body.data?.unlinkOAuthAccount.linkedProviders).toEqual(["twin"]);
      const other = await server.gql(UNLINK_OAUTH, { provider: "twin" }, { token });
      expect(other.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "LAST_SIGN_IN_METHOD" });

      // A password set through the reset link is a way in: now the last link can go.
      await server.gql(REQUEST_RESET, { email });
      const reset = await server.gql(RESET_PASSWORD, { input: { token: await mailedToken(email, "/reset-password"), newPassword: NEW_PASSWORD } });
      expect(reset.body.data?.resetPassword).toBe(true);
      const fresh = await server.gql(LOGIN, { input: { identifier: email, password: NEW_PASSWORD } });
      const freshToken = fresh.body.data.login.accessToken;
      const gone = await server.gql(UNLINK_OAUTH, { provider: "twin" }, { token: freshToken });
      expect(gone.body.data?.unlinkOAuthAccount.linkedProviders).toEqual([]);
    });
  });
});
