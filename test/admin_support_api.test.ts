import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, isAccepted, login, registerUser, uniqueName } from "./support/accounts";
import { ADMIN_ENV, ADMIN_USERNAME, adminToken, signedInAs } from "./support/admin";

const CREATE_USER = /* GraphQL */ `
  mutation ($input: AdminCreateUserInput!) { createUser(input: $input) { id username email emailVerified role disabled } }
`;
const UPDATE_USER = /* GraphQL */ `
  mutation ($userId: ID!, $input: AdminUpdateUserInput!) {
    updateUser(userId: $userId, input: $input) { id username email emailVerified pendingEmail profile { name hobby dateOfBirth } }
  }
`;
const USER_SESSIONS = /* GraphQL */ `query ($userId: ID!) { userSessions(userId: $userId) { id current userAgent } }`;
const REVOKE_ONE = /* GraphQL */ `mutation ($userId: ID!, $sessionId: ID!) { revokeUserSession(userId: $userId, sessionId: $sessionId) }`;
const DELETE_USER = /* GraphQL */ `mutation ($userId: ID!) { deleteUser(userId: $userId) }`;
const SEND_RESET = /* GraphQL */ `mutation ($userId: ID!) { sendPasswordReset(userId: $userId) }`;
const USER = /* GraphQL */ `query ($id: ID!) { user(id: $id) { id username email emailVerified } }`;

// The support work an ADMIN does through the API, each change audited with the ADMIN as actor.
describe.each(testDatabases)("the admin support API on %s", (kind) => {
  let server: TestServer;
  let admin: string;
  let adminId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
    admin = await adminToken(server);
    adminId = (await server.app.database.prisma.user.findUniqueOrThrow({ where: { usernameNormalized: ADMIN_USERNAME } })).id;
  });
  afterAll(() => server.stop());

  const prisma = () => server.app.database.prisma;
  const events = (userId: string, type: string) => prisma().auditEvent.findMany({ where: { userId, type }, orderBy: { createdAt: "asc" } });
  const errorOf = (body: any) => body.errors?.[0]?.extensions;

  describe("createUser", () => {
    it("creates a USER with a password that signs in, audited with the ADMIN as actor", async () => {
      const username = uniqueName("made");
      const { body } = await server.gql(CREATE_USER, { input: { username, email: `${username}@example.com`, password: STRONG_PASSWORD } }, { token: admin });
      expect(body.errors).toBeUndefined();
      expect(body.data.createUser).toMatchObject({ username, email: `${username}@example.com`, emailVerified: false, role: "USER", disabled: false });
      const id = body.data.createUser.id;
      expect((await login(server, username)).user.id).toBe(id);
      const [event] = await events(id, "REGISTERED");
      expect(event).toMatchObject({ actorId: adminId, metadata: { method: "ADMIN", role: "USER", password: true } });
      // No secret passkey was given, so none is stored; the address gets a verification link.
      expect(await prisma().credential.count({ where: { userId: id, kind: "SECRET_PASSKEY" } })).toBe(0);
      expect(await prisma().outboxMail.count({ where: { to: `${username}@example.com` } })).toBe(1);
    });

    it("creates an ADMIN when asked", async () => {
      const username = uniqueName("second_admin");
      const { body } = await server.gql(CREATE_USER, { input: { username, password: STRONG_PASSWORD, role: "ADMIN" } }, { token: admin });
      expect(body.data.createUser.role).toBe("ADMIN");
    });

    it("applies the sign-up rules: username, password policy, taken names and addresses with register's wording", async () => {
      const taken = await registerUser(server);
      await prisma().user.update({ where: { id: taken.id }, data: { emailVerified: true, emailVerifiedAt: new Date() } });
      const viaRegister = await server.gql(REGISTER, { input: { username: taken.username.toUpperCase(), password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });

      const sameName = await server.gql(CREATE_USER, { input: { username: taken.username.toUpperCase(), password: STRONG_PASSWORD } }, { token: admin });
      expect(errorOf(sameName.body)).toMatchObject({ code: "CONFLICT", field: "username" });
      expect(sameName.body.errors![0].message).toBe(viaRegister.body.errors![0].message);

      const sameEmail = await server.gql(CREATE_USER, { input: { username: uniqueName(), email: taken.email, password: STRONG_PASSWORD } }, { token: admin });
      expect(errorOf(sameEmail.body)).toMatchObject({ code: "CONFLICT", field: "email" });

      const weak = await server.gql(CREATE_USER, { input: { username: uniqueName(), password: "password1234" } }, { token: admin });
      expect(errorOf(weak.body)).toMatchObject({ code: "PASSWORD_POLICY" });

      const badName = await server.gql(CREATE_USER, { input: { username: "no spaces allowed", password: STRONG_PASSWORD } }, { token: admin });
      expect(errorOf(badName.body)).toMatchObject({ code: "BAD_USER_INPUT", field: "username" });

      const neither = await server.gql(CREATE_USER, { input: { username: uniqueName() } }, { token: admin });
      expect(errorOf(neither.body)).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });
    });
  });

  describe("updateUser", () => {
    it("replaces the address at once, unverified unless the ADMIN says so, and changes username and profile", async () => {
      const user = await registerUser(server);
      const newName = uniqueName("renamed");
      const { body } = await server.gql(
        UPDATE_USER,
        { userId: user.id, input: { username: newName, email: `${newName}@example.org`, name: "Ada", hobby: "Chess" } },
        { token: admin },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.updateUser).toMatchObject({
        username: newName,
        email: `${newName}@example.org`,
        emailVerified: false,
        pendingEmail: null,
        profile: { name: "Ada", hobby: "Chess" },
      });
      // No confirmation round: sign-in by the new address works now.
      expect((await login(server, `${newName}@example.org`)).user.id).toBe(user.id);
      const [event] = await events(user.id, "PROFILE_UPDATED");
      expect(event).toMatchObject({ actorId: adminId, metadata: { fields: expect.arrayContaining(["username", "email", "name", "hobby"]), by: "ADMIN" } });

      const verified = await server.gql(UPDATE_USER, { userId: user.id, input: { emailVerified: true } }, { token: admin });
      expect(verified.body.data.updateUser.emailVerified).toBe(true);
      const unverified = await server.gql(UPDATE_USER, { userId: user.id, input: { emailVerified: false } }, { token: admin });
      expect(unverified.body.data.updateUser.emailVerified).toBe(false);
    });

    it("tells the replaced verified address, not an unverified one, and names the ADMIN in the audit trail", async () => {
      const subject = "An administrator changed your e-mail address";
      const verified = await registerUser(server);
      await prisma().user.update({ where: { id: verified.id }, data: { emailVerified: true, emailVerifiedAt: new Date() } });
      const moved = `${uniqueName("moved")}@example.net`;
      const { body } = await server.gql(UPDATE_USER, { userId: verified.id, input: { email: moved } }, { token: admin });
      expect(body.data.updateUser).toMatchObject({ email: moved, emailVerified: false });
      expect(await prisma().outboxMail.findMany({ where: { to: verified.email, subject } })).toHaveLength(1);
      expect(await prisma().outboxMail.count({ where: { to: moved, subject } })).toBe(0);
      expect(await events(verified.id, "EMAIL_CHANGED")).toEqual([expect.objectContaining({ actorId: adminId, metadata: { by: "ADMIN" } })]);

      const unverified = await registerUser(server);
      await server.gql(UPDATE_USER, { userId: unverified.id, input: { email: `${uniqueName("moved")}@example.net` } }, { token: admin });
      expect(await prisma().outboxMail.count({ where: { to: unverified.email, subject } })).toBe(0);
      // Only the address's letter case: nothing was replaced.
      await server.gql(UPDATE_USER, { userId: verified.id, input: { email: moved.toUpperCase() } }, { token: admin });
      expect(await events(verified.id, "EMAIL_CHANGED")).toHaveLength(1);
    });

    it("keeps the account's first proof of a mailbox when the ADMIN vouches for a replacement address", async () => {
      const user = await registerUser(server);
      const firstProof = new Date("2026-01-02T03:04:05.000Z");
      await prisma().user.update({ where: { id: user.id }, data: { emailVerified: true, emailVerifiedAt: firstProof } });
      const address = `${uniqueName("vouched")}@example.net`;
      const { body } = await server.gql(UPDATE_USER, { userId: user.id, input: { email: address, emailVerified: true } }, { token: admin });
      expect(body.data.updateUser).toMatchObject({ email: address, emailVerified: true });
      expect(await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ emailVerifiedAt: firstProof });
      // An address left unverified has no proof time until its link is followed.
      await server.gql(UPDATE_USER, { userId: user.id, input: { email: `${uniqueName("later")}@example.net` } }, { token: admin });
      expect(await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ emailVerified: false, emailVerifiedAt: null });
    });

    it("drops other accounts' unverified claims when the ADMIN marks an address verified", async () => {
      const claimer = await registerUser(server);
      const owner = await registerUser(server);
      const { body } = await server.gql(UPDATE_USER, { userId: owner.id, input: { email: claimer.email, emailVerified: true } }, { token: admin });
      expect(body.data.updateUser).toMatchObject({ email: claimer.email, emailVerified: true });
      expect((await prisma().user.findUniqueOrThrow({ where: { id: claimer.id } })).email).toBeNull();
    });

    it("refuses taken usernames and verified addresses, bad profile input and unknown accounts", async () => {
      const holder = await registerUser(server);
      await prisma().user.update({ where: { id: holder.id }, data: { emailVerified: true, emailVerifiedAt: new Date() } });
      const user = await registerUser(server);
      const name = await server.gql(UPDATE_USER, { userId: user.id, input: { username: holder.username } }, { token: admin });
      expect(errorOf(name.body)).toMatchObject({ code: "CONFLICT", field: "username" });
      const mail = await server.gql(UPDATE_USER, { userId: user.id, input: { email: holder.email, emailVerified: true } }, { token: admin });
      expect(errorOf(mail.body)).toMatchObject({ code: "CONFLICT", field: "email" });
      const long = await server.gql(UPDATE_USER, { userId: user.id, input: { hobby: "x".repeat(101) } }, { token: admin });
      expect(errorOf(long.body)).toMatchObject({ code: "BAD_USER_INPUT", field: "hobby" });
      const unknown = await server.gql(UPDATE_USER, { userId: "00000000-0000-7000-8000-000000000000", input: { name: "x" } }, { token: admin });
      expect(errorOf(unknown.body)).toMatchObject({ code: "NOT_FOUND" });
      expect((await server.gql(USER, { id: user.id }, { token: admin })).body.data.user).toMatchObject({ username: user.username, email: user.email });
    });
  });

  describe("userSessions and revokeUserSession", () => {
    it("lists a user's active sessions and revokes one of them, whose token fails at once", async () => {
      const user = await registerUser(server);
      const first = await login(server, user.username);
      const second = await login(server, user.username);
      const listed = await server.gql(USER_SESSIONS, { userId: user.id }, { token: admin });
      expect(listed.body.errors).toBeUndefined();
      expect(listed.body.data.userSessions.map((s: { id: string }) => s.id).sort()).toEqual([first.session.id, second.session.id].sort());
      expect(listed.body.data.userSessions.every((s: { current: boolean }) => !s.current)).toBe(true);

      const revoked = await server.gql(REVOKE_ONE, { userId: user.id, sessionId: first.session.id }, { token: admin });
      expect(revoked.body).toEqual({ data: { revokeUserSession: true } });
      expect(await isAccepted(server, first.accessToken)).toBe(false);
      expect(await isAccepted(server, second.accessToken)).toBe(true);
      const again = await server.gql(REVOKE_ONE, { userId: user.id, sessionId: first.session.id }, { token: admin });
      expect(again.body).toEqual({ data: { revokeUserSession: false } });
      const after = await server.gql(USER_SESSIONS, { userId: user.id }, { token: admin });
      expect(after.body.data.userSessions.map((s: { id: string }) => s.id)).toEqual([second.session.id]);
      const audited = await events(user.id, "SESSION_REVOKED");
      expect(audited).toHaveLength(1);
      expect(audited[0]).toMatchObject({ actorId: adminId, metadata: { sessionId: first.session.id } });
    });

    it("answers NOT_FOUND for another user's session and for unknown accounts, and marks the caller's own session current", async () => {
      const user = await registerUser(server);
      const other = await registerUser(server);
      const othersSession = await login(server, other.username);
      const wrong = await server.gql(REVOKE_ONE, { userId: user.id, sessionId: othersSession.session.id }, { token: admin });
      expect(errorOf(wrong.body)).toMatchObject({ code: "NOT_FOUND" });
      expect(await isAccepted(server, othersSession.accessToken)).toBe(true);
      const unknown = await server.gql(USER_SESSIONS, { userId: "00000000-0000-7000-8000-000000000000" }, { token: admin });
      expect(errorOf(unknown.body)).toMatchObject({ code: "NOT_FOUND" });

      const own = await server.gql(USER_SESSIONS, { userId: adminId }, { token: admin });
      expect(own.body.data.userSessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    });

    it("lets a MODERATOR list a user's sessions, but not an ADMIN's", async () => {
      const moderator = await signedInAs(server, "MODERATOR");
      const user = await registerUser(server);
      await login(server, user.username);
      const listed = await server.gql(USER_SESSIONS, { userId: user.id }, { token: moderator.token });
      expect(listed.body.data.userSessions).toHaveLength(1);
      const ofAdmin = await server.gql(USER_SESSIONS, { userId: adminId }, { token: moderator.token });
      expect(ofAdmin.body.data.userSessions).toEqual([]);
    });
  });

  describe("deleteUser", () => {
    it("soft-deletes an account: sessions end, sign-in fails, the name is free, audited with the actor", async () => {
      const user = await registerUser(server);
      const session = await login(server, user.username);
      const { body } = await server.gql(DELETE_USER, { userId: user.id }, { token: admin });
      expect(body).toEqual({ data: { deleteUser: true } });
      expect(await isAccepted(server, session.accessToken)).toBe(false);
      const signIn = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
      expect(signIn.body.errors![0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
      const row = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });
      expect(row.deletedAt).not.toBeNull();
      expect(row.email).toBeNull();
      const [event] = await events(user.id, "ACCOUNT_DELETED");
      expect(event).toMatchObject({ actorId: adminId, metadata: { sessionsRevoked: 1 } });
      const again = await server.gql(DELETE_USER, { userId: user.id }, { token: admin });
      expect(errorOf(again.body)).toMatchObject({ code: "NOT_FOUND" });
      await registerUser(server, { username: user.username });
    });

    it("refuses to delete the last active ADMIN, the caller themself included, and allows it once another exists", async () => {
      const solo = await startTestServer(kind, { env: ADMIN_ENV });
      try {
        const token = await adminToken(solo);
        const soloAdminId = (await solo.app.database.prisma.user.findUniqueOrThrow({ where: { usernameNormalized: ADMIN_USERNAME } })).id;
        const refused = await solo.gql(DELETE_USER, { userId: soloAdminId }, { token });
        expect(refused.body.errors![0].extensions).toMatchObject({ code: "CONFLICT", reason: "LAST_ADMIN" });
        expect(await isAccepted(solo, token)).toBe(true);

        const other = await signedInAs(solo, "ADMIN");
        const allowed = await solo.gql(DELETE_USER, { userId: soloAdminId }, { token: other.token });
        expect(allowed.body).toEqual({ data: { deleteUser: true } });
        const last = await solo.gql(DELETE_USER, { userId: other.user.id }, { token: other.token });
        expect(last.body.errors![0].extensions).toMatchObject({ code: "CONFLICT", reason: "LAST_ADMIN" });
      } finally {
        await solo.stop();
      }
    });
  });

  describe("sendPasswordReset", () => {
    it("queues a reset link to the address, verified or not, audited with the actor", async () => {
      const user = await registerUser(server);
      const before = await prisma().outboxMail.count({ where: { to: user.email } });
      const { body } = await server.gql(SEND_RESET, { userId: user.id }, { token: admin });
      expect(body).toEqual({ data: { sendPasswordReset: true } });
      const mails = await prisma().outboxMail.findMany({ where: { to: user.email }, orderBy: { createdAt: "desc" } });
      expect(mails).toHaveLength(before + 1);
      expect(mails[0].text).toMatch(/\/reset-password\?token=[A-Za-z0-9_-]+/);
      const [event] = await events(user.id, "PASSWORD_RESET_SENT");
      expect(event).toMatchObject({ actorId: adminId });
    });

    it("answers BAD_USER_INPUT for an account without an address and NOT_FOUND for an unknown one", async () => {
      const user = await registerUser(server, { email: null });
      const none = await server.gql(SEND_RESET, { userId: user.id }, { token: admin });
      expect(errorOf(none.body)).toMatchObject({ code: "BAD_USER_INPUT", field: "userId" });
      expect(await events(user.id, "PASSWORD_RESET_SENT")).toHaveLength(0);
      const unknown = await server.gql(SEND_RESET, { userId: "00000000-0000-7000-8000-000000000000" }, { token: admin });
      expect(errorOf(unknown.body)).toMatchObject({ code: "NOT_FOUND" });
    });
  });
});
