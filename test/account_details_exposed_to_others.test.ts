import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser, uniqueName } from "./support/accounts";
import { seedUsers, signedInAs } from "./support/admin";
import { addPasskey } from "./support/passkeys";
import { userWithTwoFactor } from "./support/two-factor";
import { linkToken, type TestSmtpServer, useServerWithSmtp } from "./support/smtp";
import { VERIFY_SUBJECT, deliverMail, mailsTo } from "./support/recovery";

const UPDATE_PROFILE = /* GraphQL */ `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`;
const VERIFY_ALL = /* GraphQL */ `
  mutation ($token: String!) {
    verifyEmail(token: $token) {
      id emailVerified email avatarUrl lastLoginAt passkeys { id } linkedProviders
      profile { name contact address occupation hobby highestQualification dateOfBirth }
    }
  }
`;
const VERIFY_WITH = (field: string) => /* GraphQL */ `mutation ($token: String!) { verifyEmail(token: $token) { id ${field} } }`;
const SET_ROLE = /* GraphQL */ `mutation ($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id } }`;
const MY_ACTIVITY = /* GraphQL */ `query { myActivity(first: 50) { edges { node { type userId actorId ip userAgent } } } }`;
const USER = /* GraphQL */ `query ($id: ID!) { user(id: $id) { id username role email emailVerified twoFactorEnabled lastLoginAt } }`;
const SEARCH = /* GraphQL */ `
  query ($filter: UserSearchFilter, $orderBy: UserOrder) {
    searchUsers(filter: $filter, orderBy: $orderBy, first: 100) { edges { cursor node { id role lastLoginAt twoFactorEnabled } } }
  }
`;

describe.each(testDatabases)("account details shown to someone else on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started));

  /** A user with a profile and a passkey, and the verification links mailed to them. */
  async function userWithDetails() {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const profile = { address: "12 Hidden Lane", contact: "+44 20 7946 0000", dateOfBirth: "1990-04-01T00:00:00.000Z", name: "Private Person" };
    const updated = await server.gql(UPDATE_PROFILE, { input: profile }, { token: accessToken });
    expect(updated.body.errors).toBeUndefined();
    // Passkeys need a verified address; the link mailed at sign-up stays unused for the test.
    const prisma = server.app.database.prisma;
    await prisma.user.update({ where: { id: user.id }, data: { emailVerified: true, emailVerifiedAt: server.clock.now() } });
    await addPasskey(server, accessToken);
    await prisma.user.update({ where: { id: user.id }, data: { emailVerified: false, emailVerifiedAt: null } });
    await deliverMail(server);
    const tokens = mailsTo(smtp, user.email, VERIFY_SUBJECT).map((mail) => linkToken(mail, "/verify-email"));
    return { user, accessToken, profile, token: tokens[tokens.length - 1] };
  }

  describe("verifyEmail", () => {
    it("answers a caller with no token only the id and emailVerified", async () => {
      const { user, token } = await userWithDetails();
      const { body } = await server.gql(VERIFY_ALL, { token });
      expect(body).toEqual({
        data: {
          verifyEmail: {
            id: user.id,
            emailVerified: true,
            email: null,
            avatarUrl: null,
            lastLoginAt: null,
            passkeys: [],
            linkedProviders: [],
            profile: { name: null, contact: null, address: null, occupation: null, hobby: null, highestQualification: null, dateOfBirth: null },
          },
        },
      });
      expect((await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBe(true);
    });

    it("refuses the account's non-null details (username, role, dates, flags) with FORBIDDEN", async () => {
      for (const field of ["username", "role", "twoFactorEnabled", "disabled", "createdAt"]) {
        const { token } = await userWithDetails();
        const { body } = await server.gql(VERIFY_WITH(field), { token });
        expect(body.data).toBeNull();
        expect(body.errors?.[0]).toMatchObject({ path: ["verifyEmail", field], extensions: { code: "FORBIDDEN", reason: "VERIFICATION_ONLY" } });
      }
    });

    it("answers another signed-in account as little, and the account's owner in full", async () => {
      const stranger = await signedInAs(server, "USER");
      const first = await userWithDetails();
      const asStranger = await server.gql(VERIFY_ALL, { token: first.token }, { token: stranger.token });
      expect(asStranger.body.data.verifyEmail).toMatchObject({ id: first.user.id, emailVerified: true, email: null, passkeys: [] });
      expect(asStranger.body.data.verifyEmail.profile.address).toBeNull();

      const second = await userWithDetails();
      const asOwner = await server.gql(VERIFY_ALL, { token: second.token }, { token: second.accessToken });
      expect(asOwner.body.errors).toBeUndefined();
      expect(asOwner.body.data.verifyEmail).toMatchObject({ id: second.user.id, emailVerified: true, email: second.user.email });
      expect(asOwner.body.data.verifyEmail.passkeys).toHaveLength(1);
      expect(asOwner.body.data.verifyEmail.profile).toMatchObject(second.profile);
      const username = await server.gql(VERIFY_WITH("username"), { token: second.token }, { token: second.accessToken });
      // The link is spent, but the owner is not refused for reading the field.
      expect(username.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    });
  });

  it("myActivity shows no IP or user agent of an ADMIN who acted on the account", async () => {
    const admin = await signedInAs(server, "ADMIN");
    const user = await registerUser(server);
    const own = await server.gql(`mutation ($input: LoginInput!) { login(input: $input) { ... on AuthPayload { accessToken } } }`, {
      input: { identifier: user.username, password: user.password },
    }, { headers: { "user-agent": "OwnBrowser/1.0" } });
    const token = own.body.data.login.accessToken;
    const changed = await server.gql(SET_ROLE, { userId: user.id, role: "MODERATOR" }, { token: admin.token, headers: { "user-agent": "AdminConsole/9.9" } });
    expect(changed.body.errors).toBeUndefined();

    const { body } = await server.gql(MY_ACTIVITY, {}, { token });
    const events = body.data.myActivity.edges.map((edge: { node: Record<string, string | null> }) => edge.node);
    const roleChange = events.find((event: { type: string }) => event.type === "ROLE_CHANGED");
    expect(roleChange).toEqual({ type: "ROLE_CHANGED", userId: user.id, actorId: admin.user.id, ip: null, userAgent: null });
    const signIn = events.find((event: { type: string }) => event.type === "LOGIN_SUCCEEDED");
    expect(signIn).toMatchObject({ actorId: user.id, userAgent: "OwnBrowser/1.0" });
    expect(signIn.ip).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toContain("AdminConsole");

    // The audit log keeps them for ADMINs.
    const stored = await server.app.database.prisma.auditEvent.findFirstOrThrow({ where: { userId: user.id, type: "ROLE_CHANGED" } });
    expect(stored.userAgent).toBe("AdminConsole/9.9");
  });

  it("shows an address waiting for confirmation only to the user and ADMINs, not to MODERATORs (who see the current address)", async () => {
    const user = await registerUser(server);
    const pending = `${uniqueName("pending")}@example.com`;
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { pendingEmail: pending } });
    const PENDING = /* GraphQL */ `query ($id: ID!) { user(id: $id) { email pendingEmail } }`;
    const moderator = await signedInAs(server, "MODERATOR");
    const admin = await signedInAs(server, "ADMIN");

    const byModerator = await server.gql(PENDING, { id: user.id }, { token: moderator.token });
    expect(byModerator.body.data.user).toEqual({ email: user.email, pendingEmail: null });
    const byAdmin = await server.gql(PENDING, { id: user.id }, { token: admin.token });
    expect(byAdmin.body.data.user).toEqual({ email: user.email, pendingEmail: pending });
    const { accessToken } = await login(server, user.username);
    const byOwner = await server.gql(/* GraphQL */ `query { me { pendingEmail } }`, {}, { token: accessToken });
    expect(byOwner.body.data.me.pendingEmail).toBe(pending);
  });

  describe("a MODERATOR reading an ADMIN", () => {
    it("does not see the ADMIN's two-factor state or last sign-in; an ADMIN does", async () => {
      const target = await userWithTwoFactor(server);
      await server.app.database.prisma.user.update({ where: { id: target.id }, data: { role: "ADMIN" } });
      const moderator = await signedInAs(server, "MODERATOR");
      const admin = await signedInAs(server, "ADMIN");

      const seen = await server.gql(USER, { id: target.id }, { token: moderator.token });
      expect(seen.body.errors).toBeUndefined();
      expect(seen.body.data.user).toEqual({
        id: target.id,
        username: target.username,
        role: "ADMIN",
        email: target.email,
        emailVerified: false,
        twoFactorEnabled: false,
        lastLoginAt: null,
      });
      const byAdmin = await server.gql(USER, { id: target.id }, { token: admin.token });
      expect(byAdmin.body.data.user).toMatchObject({ twoFactorEnabled: true, lastLoginAt: expect.any(String) });

      // The same account as a USER: the MODERATOR sees its state.
      await server.app.database.prisma.user.update({ where: { id: target.id }, data: { role: "USER" } });
      const asUser = await server.gql(USER, { id: target.id }, { token: moderator.token });
      expect(asUser.body.data.user).toMatchObject({ twoFactorEnabled: true, lastLoginAt: expect.any(String) });
    });

    it("cannot learn ADMINs' last sign-in from a LAST_LOGIN_AT order or its cursors", async () => {
      const prefix = uniqueName("order");
      const now = server.clock.now().getTime();
      const [early, adminRow] = await seedUsers(server, [
        { username: `${prefix}_early`, lastLoginAt: new Date(now - 3_600_000) },
        { username: `${prefix}_admin`, role: "ADMIN", lastLoginAt: new Date(now - 60_000) },
        { username: `${prefix}_never` },
      ]);
      const adminTime = new Date(now - 60_000).toISOString();
      const moderator = await signedInAs(server, "MODERATOR");
      const admin = await signedInAs(server, "ADMIN");
      const orderBy = { field: "LAST_LOGIN_AT", direction: "DESC" };
      const cursorsOf = (edges: Array<{ cursor: string }>) => edges.map((e) => Buffer.from(e.cursor, "base64url").toString("utf8")).join();

      const byAdmin = await server.gql(SEARCH, { filter: { query: prefix }, orderBy }, { token: admin.token });
      expect(byAdmin.body.data.searchUsers.edges.map((e: { node: { id: string } }) => e.node.id).slice(0, 2)).toEqual([adminRow.id, early.id]);

      // A text search: the ADMIN ranks among the never signed in, with no time in its cursor.
      const searched = await server.gql(SEARCH, { filter: { query: prefix }, orderBy }, { token: moderator.token });
      expect(searched.body.errors).toBeUndefined();
      const edges = searched.body.data.searchUsers.edges;
      expect(edges[0].node.id).toBe(early.id);
      expect(edges.map((e: { node: { id: string } }) => e.node.id)).toContain(adminRow.id);
      expect(edges.find((e: { node: { id: string } }) => e.node.id === adminRow.id).node.lastLoginAt).toBeNull();
      expect(cursorsOf(edges)).not.toContain(adminTime);

      // Browsing every ADMIN by last sign-in, both directions.
      for (const direction of ["DESC", "ASC"]) {
        const browsed = await server.gql(SEARCH, { filter: { role: "ADMIN" }, orderBy: { field: "LAST_LOGIN_AT", direction } }, { token: moderator.token });
        expect(browsed.body.errors).toBeUndefined();
        const admins = browsed.body.data.searchUsers.edges;
        expect(admins.map((e: { node: { id: string } }) => e.node.id)).toContain(adminRow.id);
        for (const edge of admins) expect(edge.node).toMatchObject({ role: "ADMIN", lastLoginAt: null, twoFactorEnabled: false });
        expect(cursorsOf(admins)).not.toMatch(/\d{4}-\d\d-\d\dT/);
      }
    });
  });
});
