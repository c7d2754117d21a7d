import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, registerUser, registerVerifiedUser, uniqueName } from "./support/accounts";
import { REQUEST_MAGIC_LINK, SIGN_IN_WITH_MAGIC_LINK, queuedMagicLinks, queuedMagicToken, requestUnbound } from "./support/magic-link";

describe.each(testDatabases)("sign-up by link on %s", (kind) => {
  describe("MAGIC_LINK_SIGNUP=false (default)", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind);
    }, START_TIMEOUT_MS);
    afterAll(() => server.stop());

    it("an unknown address gets true and no mail, and no account appears", async () => {
      const email = `${uniqueName("nobody")}@example.com`;
      const { body } = await server.gql(REQUEST_MAGIC_LINK, { email });
      expect(body).toEqual({ data: { requestMagicLink: true } });
      expect(await queuedMagicLinks(server, email)).toBe(0);
      expect(await server.app.database.prisma.user.count({ where: { emailNormalized: email } })).toBe(0);
      expect(await server.app.database.prisma.magicLink.count({ where: { email } })).toBe(0);
    });

    it("an address only claimed by an unverified account gets no mail (the claim may not be its owner's)", async () => {
      const user = await registerUser(server);
      await requestUnbound(server, user.email);
      expect(await queuedMagicLinks(server, user.email)).toBe(0);
    });
  });

  describe("MAGIC_LINK_SIGNUP=true", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, { env: { MAGIC_LINK_SIGNUP: "true" } });
    }, START_TIMEOUT_MS);
    afterAll(() => server.stop());

    it("following the link creates the account: username from the address, the address verified, no password", async () => {
      const local = uniqueName("Ada.Lovelace");
      // The account gets the address as the link was stored: normalized (lower case).
      const email = `${local}@example.com`.toLowerCase();
      await requestUnbound(server, `${local}@EXAMPLE.com`);
      // Mailed to the address as given (its domain in lower case).
      const mailedTo = `${local}@example.com`;
      expect(await queuedMagicLinks(server, mailedTo)).toBe(1);
      const prisma = server.app.database.prisma;
      // Nothing is created before the link is followed.
      expect(await prisma.user.count({ where: { emailNormalized: email } })).toBe(0);

      const token = (await queuedMagicToken(server, mailedTo))!;
      const { body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
      expect(body.errors).toBeUndefined();
      const payload = body.data.signInWithMagicLink;
      expect(payload).toMatchObject({ __typename: "AuthPayload", user: { username: local.toLowerCase(), email, emailVerified: true } });

      const userId = payload.user.id;
      expect(await prisma.credential.count({ where: { userId } })).toBe(0);
      const noPassword = await server.gql(LOGIN, { input: { identifier: email, password: "any-password-at-all-1" } });
      expect(noPassword.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      const registered = await prisma.auditEvent.findFirst({ where: { userId, type: "REGISTERED" } });
      expect(registered?.metadata).toMatchObject({ method: "MAGIC_LINK" });

      // The link is spent with the sign-up; the address now signs in to that account.
      const again = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
      expect(again.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
      await requestUnbound(server, email);
      const next = (await queuedMagicToken(server, email))!;
      const signedIn = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: next });
      expect(signedIn.body.data.signInWithMagicLink.user.id).toBe(userId);
    });

    it("a taken username gets a numbered one", async () => {
      const existing = await registerVerifiedUser(server);
      const email = `${existing.username}@other.example`;
      await requestUnbound(server, email);
      const { body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: (await queuedMagicToken(server, email))! });
      expect(body.data.signInWithMagicLink.user.username).toBe(`${existing.username}2`);
    });

    it("two links for one new address create one account", async () => {
      const email = `${uniqueName("twice")}@example.com`;
      await requestUnbound(server, email);
      const first = (await queuedMagicToken(server, email))!;
      const { body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: first });
      const userId = body.data.signInWithMagicLink.user.id;
      // Asked for while the address had no account, followed after it had one.
      await requestUnbound(server, email);
      const second = (await queuedMagicToken(server, email))!;
      const again = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: second });
      expect(again.body.data.signInWithMagicLink.user.id).toBe(userId);
      expect(await server.app.database.prisma.user.count({ where: { emailNormalized: email } })).toBe(1);
    });
  });
});
