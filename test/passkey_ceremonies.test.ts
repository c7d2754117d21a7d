import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, login, registerUser, registerVerifiedUser, verifyAddress } from "./support/accounts";
import { userWithTwoFactor } from "./support/two-factor";
import { SoftwareAuthenticator, otherKey } from "./support/software-authenticator";
import {
  BEGIN_REGISTRATION,
  FINISH_LOGIN,
  FINISH_REGISTRATION,
  MY_PASSKEYS,
  addPasskey,
  beginLogin,
  passkeyLogin,
} from "./support/passkeys";

// Both WebAuthn ceremonies over HTTP, answered by a software authenticator (ES256, attestation
// "none"); every tampered answer must be refused the same way.
describe.each(testDatabases)("passkey registration and sign-in on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });
  const prisma = () => server.app.database.prisma;

  async function signedInUser() {
    const user = await registerVerifiedUser(server);
    const { accessToken } = await login(server, user.username);
    return { ...user, token: accessToken };
  }

  const expectInvalidCredentials = (body: any) => {
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
  };

  const expectRegistrationRefused = (body: any) => {
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "responseJson" });
  };

  describe("registration", () => {
    it("offers resident keys, requires user verification, stores the key, flags and transports, and audits it", async () => {
      const user = await signedInUser();
      const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: user.token });
      const options = JSON.parse(begun.body.data.beginPasskeyRegistration);
      expect(options).toMatchObject({
        rp: { id: "localhost", name: "Latchkey" },
        user: { name: user.username },
        attestation: "none",
        timeout: 300_000,
        authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
        excludeCredentials: [],
      });
      expect(options.pubKeyCredParams.map((p: { alg: number }) => p.alg)).toContain(-7);

      const authenticator = new SoftwareAuthenticator();
      const responseJson = authenticator.register(begun.body.data.beginPasskeyRegistration);
      const { body } = await server.gql(FINISH_REGISTRATION, { responseJson, name: "  Laptop  " }, { token: user.token });
      expect(body.errors).toBeUndefined();
      expect(body.data.finishPasskeyRegistration).toMatchObject({ name: "Laptop", lastUsedAt: null });

      const row = await prisma().webAuthnCredential.findUniqueOrThrow({ where: { credentialId: authenticator.id } });
      expect(row).toMatchObject({ userId: user.id, counter: 0n, backupEligible: true, backedUp: true, transports: ["internal", "hybrid"] });
      expect(row.publicKey.length).toBeGreaterThan(60);
      const me = await server.gql(MY_PASSKEYS, {}, { token: user.token });
      expect(me.body.data.me.passkeys).toEqual([expect.objectContaining({ id: row.id, name: "Laptop" })]);
      const audit = await prisma().auditEvent.findFirst({ where: { userId: user.id, type: "PASSKEY_ADDED" } });
      expect(audit?.metadata).toMatchObject({ passkeyId: row.id, name: "Laptop" });

      // The next registration excludes the passkey the account already has.
      const again = JSON.parse((await server.gql(BEGIN_REGISTRATION, {}, { token: user.token })).body.data.beginPasskeyRegistration);
      expect(again.excludeCredentials).toEqual([expect.objectContaining({ id: authenticator.id })]);
    });

    it("needs a signed-in caller", async () => {
      const { body } = await server.gql(BEGIN_REGISTRATION);
      expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    });

    it("refuses a replayed registration: the challenge is single use", async () => {
      const user = await signedInUser();
      const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: user.token });
      const responseJson = new SoftwareAuthenticator().register(begun.body.data.beginPasskeyRegistration);
      expect((await server.gql(FINISH_REGISTRATION, { responseJson }, { token: user.token })).body.errors).toBeUndefined();
      const replayed = await server.gql(FINISH_REGISTRATION, { responseJson }, { token: user.token });
      expectRegistrationRefused(replayed.body);
      // And a fresh authenticator answering the spent challenge is refused too.
      const other = new SoftwareAuthenticator().register(begun.body.data.beginPasskeyRegistration);
      expectRegistrationRefused((await server.gql(FINISH_REGISTRATION, { responseJson: other }, { token: user.token })).body);
      expect(await prisma().webAuthnCredential.count({ where: { userId: user.id } })).toBe(1);
    });

    it("refuses another user's challenge, an expired one, a wrong origin, a wrong RP ID hash, no user verification", async () => {
      const user = await signedInUser();
      const stranger = await signedInUser();
      const attempts: Array<[string, (options: string) => string, string?]> = [
        ["another user's challenge", (o) => new SoftwareAuthenticator().register(o), stranger.token],
        ["wrong origin", (o) => new SoftwareAuthenticator().register(o, { origin: "https://latchkey.example.net" })],
        ["wrong RP ID hash", (o) => new SoftwareAuthenticator().register(o, { rpIdForHash: "example.net" })],
        ["no user verification", (o) => new SoftwareAuthenticator().register(o, { userVerified: false })],
        ["wrong ceremony type", (o) => new SoftwareAuthenticator().register(o, { type: "webauthn.get" })],
        ["not JSON", () => "{not json"],
      ];
      for (const [what, answer, token] of attempts) {
        const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: user.token });
        const responseJson = answer(begun.body.data.beginPasskeyRegistration);
        const { body } = await server.gql(FINISH_REGISTRATION, { responseJson }, { token: token ?? user.token });
        expect([what, body.errors?.[0].extensions]).toEqual([what, { code: "BAD_USER_INPUT", field: "responseJson" }]);
      }
      const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: user.token });
      server.clock.advance(5 * 60_000 + 1_000);
      const late = new SoftwareAuthenticator().register(begun.body.data.beginPasskeyRegistration);
      expectRegistrationRefused((await server.gql(FINISH_REGISTRATION, { responseJson: late }, { token: user.token })).body);
      expect(await prisma().webAuthnCredential.count({ where: { userId: { in: [user.id, stranger.id] } } })).toBe(0);
      // Expired challenges are pruned by the maintenance job.
      expect(await server.app.services.passkeys.challenges.prune()).toBeGreaterThan(0);
    });

    it("does not let another user spend a user's registration challenge", async () => {
      const user = await signedInUser();
      const stranger = await signedInUser();
      const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: user.token });
      const authenticator = new SoftwareAuthenticator();
      const responseJson = authenticator.register(begun.body.data.beginPasskeyRegistration);
      expectRegistrationRefused((await server.gql(FINISH_REGISTRATION, { responseJson }, { token: stranger.token })).body);
      expect((await server.gql(FINISH_REGISTRATION, { responseJson }, { token: user.token })).body.errors).toBeUndefined();
      expect((await prisma().webAuthnCredential.findUniqueOrThrow({ where: { credentialId: authenticator.id } })).userId).toBe(user.id);
    });
  });

  describe("sign-in", () => {
    it("signs in by identifier with a full session, updates counter and last use, and audits it", async () => {
      const user = await signedInUser();
      const { authenticator, id } = await addPasskey(server, user.token, { name: "Phone" });

      const before = server.clock.now().getTime();
      const start = await beginLogin(server, user.username.toUpperCase());
      expect(start.options).toMatchObject({ rpId: "localhost", userVerification: "required", timeout: 300_000 });
      expect(start.options.allowCredentials).toEqual([expect.objectContaining({ id: authenticator.id, type: "public-key" })]);
      const { body } = await server.gql(FINISH_LOGIN, { challengeToken: start.challengeToken, responseJson: authenticator.assert(start.optionsJson) });
      expect(body.errors).toBeUndefined();
      const payload = body.data.finishPasskeyLogin;
      expect(payload).toMatchObject({ session: { current: true }, user: { id: user.id } });
      expect((await server.gql(ME, {}, { token: payload.accessToken })).body.data.me.id).toBe(user.id);

      const row = await prisma().webAuthnCredential.findUniqueOrThrow({ where: { id } });
      expect(row.counter).toBe(1n);
      expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(row.lastUsedAt!.getTime()).toBeLessThanOrEqual(server.clock.now().getTime());
      const audit = await prisma().auditEvent.findFirst({ where: { userId: user.id, type: "LOGIN_SUCCEEDED" }, orderBy: { createdAt: "desc" } });
      expect(audit?.metadata).toMatchObject({ method: "PASSKEY", passkeyId: id, sessionId: payload.session.id });
      const me = await server.gql(MY_PASSKEYS, {}, { token: payload.accessToken });
      expect(me.body.data.me.passkeys[0].lastUsedAt).not.toBeNull();
    });

    it("signs in without an identifier with a discoverable credential", async () => {
      const user = await signedInUser();
      const { authenticator } = await addPasskey(server, user.token);
      const start = await beginLogin(server);
      expect(start.options.allowCredentials ?? []).toEqual([]);
      const { body } = await server.gql(FINISH_LOGIN, { challengeToken: start.challengeToken, responseJson: authenticator.assert(start.optionsJson) });
      expect(body.data?.finishPasskeyLogin.user.id).toBe(user.id);
    });

    it("is a full sign-in: an account with TOTP on gets tokens, not a TwoFactorChallenge", async () => {
      const user = await userWithTwoFactor(server);
      await verifyAddress(server, user.email);
      const { authenticator } = await addPasskey(server, user.accessToken);
      const { body } = await passkeyLogin(server, authenticator, { identifier: user.username });
      expect(body.errors).toBeUndefined();
      expect(body.data.finishPasskeyLogin.user).toMatchObject({ id: user.id, twoFactorEnabled: true });
      expect(body.data.finishPasskeyLogin.accessToken).toEqual(expect.any(String));
    });

    it("refuses a replayed challenge, and an answer to an old challenge under a new token", async () => {
      const user = await signedInUser();
      const { authenticator } = await addPasskey(server, user.token);
      const start = await beginLogin(server, user.username);
      const responseJson = authenticator.assert(start.optionsJson);
      expect((await server.gql(FINISH_LOGIN, { challengeToken: start.challengeToken, responseJson })).body.errors).toBeUndefined();
      expectInvalidCredentials((await server.gql(FINISH_LOGIN, { challengeToken: start.challengeToken, responseJson })).body);

      const fresh = await beginLogin(server, user.username);
      const stale = authenticator.assert(start.optionsJson); // signs the spent challenge, with a higher counter
      expectInvalidCredentials((await server.gql(FINISH_LOGIN, { challengeToken: fresh.challengeToken, responseJson: stale })).body);
      // The failed attempt spent the fresh challenge too.
      const retry = authenticator.assert(fresh.optionsJson);
      expectInvalidCredentials((await server.gql(FINISH_LOGIN, { challengeToken: fresh.challengeToken, responseJson: retry })).body);
    });

    it("refuses an expired challenge", async () => {
      const user = await signedInUser();
      const { authenticator } = await addPasskey(server, user.token);
      const start = await beginLogin(server, user.username);
      server.clock.advance(5 * 60_000 + 1_000);
      const { body } = await server.gql(FINISH_LOGIN, { challengeToken: start.challengeToken, responseJson: authenticator.assert(start.optionsJson) });
      expectInvalidCredentials(body);
    });

    it("refuses a wrong origin, a wrong RP ID hash, no user verification, a forged signature, all with one error", async () => {
      const user = await signedInUser();
      const { authenticator, id } = await addPasskey(server, user.token);
      const cases = {
        origin: { origin: "https://latchkey.example.net" },
        rpIdHash: { rpIdForHash: "example.net" },
        userVerification: { userVerified: false },
        signature: { signWith: otherKey() },
        type: { type: "webauthn.create" },
      };
      for (const [what, overrides] of Object.entries(cases)) {
        const { body } = await passkeyLogin(server, authenticator, { identifier: user.username, overrides });
        expect([what, body.errors?.[0].message, body.errors?.[0].extensions?.code]).toEqual([what, "Invalid credentials", "UNAUTHENTICATED"]);
      }
      const failures = await prisma().auditEvent.findMany({ where: { userId: user.id, type: "LOGIN_FAILED" } });
      expect(failures.map((event) => (event.metadata as any).reason)).toEqual(Array(5).fill("VERIFICATION_FAILED"));
      expect((await prisma().webAuthnCredential.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeNull();
      // The genuine answer still works.
      expect((await passkeyLogin(server, authenticator, { identifier: user.username })).body.errors).toBeUndefined();
    });

    it("refuses and audits a sign counter that goes backwards or stays put", async () => {
      const user = await signedInUser();
      const { authenticator, id } = await addPasskey(server, user.token);
      expect((await passkeyLogin(server, authenticator, { overrides: { counter: 7 } })).body.errors).toBeUndefined();

      for (const counter of [3, 7]) {
        expectInvalidCredentials((await passkeyLogin(server, authenticator, { overrides: { counter } })).body);
      }
      const regressions = await prisma().auditEvent.findMany({ where: { userId: user.id, type: "PASSKEY_COUNTER_REGRESSED" }, orderBy: { id: "asc" } });
      expect(regressions.map((event) => event.metadata)).toEqual([
        { passkeyId: id, storedCounter: 7, presentedCounter: 3 },
        { passkeyId: id, storedCounter: 7, presentedCounter: 7 },
      ]);
      expect((await prisma().webAuthnCredential.findUniqueOrThrow({ where: { id } })).counter).toBe(7n);
      expect((await passkeyLogin(server, authenticator, { overrides: { counter: 8 } })).body.errors).toBeUndefined();
    });

    it("accepts authenticators that never count (counter always 0)", async () => {
      const user = await signedInUser();
      const { authenticator } = await addPasskey(server, user.token, { authenticator: new SoftwareAuthenticator(undefined, false) });
      for (let i = 0; i < 2; i++) expect((await passkeyLogin(server, authenticator)).body.errors).toBeUndefined();
    });

    it("does not let a sign-in begun for one account end as another", async () => {
      const owner = await signedInUser();
      const other = await signedInUser();
      await addPasskey(server, owner.token);
      const { authenticator } = await addPasskey(server, other.token);
      expectInvalidCredentials((await passkeyLogin(server, authenticator, { identifier: owner.username })).body);
      const failure = await prisma().auditEvent.findFirst({ where: { userId: owner.id, type: "LOGIN_FAILED" } });
      expect(failure?.metadata).toMatchObject({ method: "PASSKEY", reason: "OTHER_ACCOUNT" });
    });

    it("refuses an unknown credential and an unknown token with the same error", async () => {
      const stranger = new SoftwareAuthenticator();
      const start = await beginLogin(server);
      expectInvalidCredentials((await server.gql(FINISH_LOGIN, { challengeToken: start.challengeToken, responseJson: stranger.assert(start.optionsJson) })).body);
      const again = await beginLogin(server);
      expectInvalidCredentials((await server.gql(FINISH_LOGIN, { challengeToken: "not-a-token", responseJson: stranger.assert(again.optionsJson) })).body);
    });

    it("answers an unknown account like a known one: a made-up credential, the same each time", async () => {
      const user = await signedInUser();
      const passwordOnly = await registerUser(server);
      await addPasskey(server, user.token);
      const unknown1 = await beginLogin(server, "nobody_here");
      const unknown2 = await beginLogin(server, "nobody_here");
      const noPasskeys = await beginLogin(server, passwordOnly.username);
      const known = await beginLogin(server, user.username);
      for (const start of [unknown1, noPasskeys, known]) {
        expect(start.options.allowCredentials.length).toBeGreaterThanOrEqual(1);
        for (const credential of start.options.allowCredentials) expect(credential.id).toMatch(/^[A-Za-z0-9_-]{22,86}$/);
      }
      // The shapes in detail: passkey_account_enumeration.test.ts.
      expect(unknown1.options.allowCredentials).toEqual(unknown2.options.allowCredentials);
      expect(unknown1.challengeToken).not.toBe(unknown2.challengeToken);
    });

    it("refuses a disabled account's passkey with ACCOUNT_DISABLED only after the passkey is proven", async () => {
      const user = await signedInUser();
      const { authenticator } = await addPasskey(server, user.token);
      await prisma().user.update({ where: { id: user.id }, data: { disabled: true } });
      const { body } = await passkeyLogin(server, authenticator, { identifier: user.username });
      expect(body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DISABLED" });
      const forged = await passkeyLogin(server, authenticator, { identifier: user.username, overrides: { signWith: otherKey() } });
      expectInvalidCredentials(forged.body);
    });
  });
});
