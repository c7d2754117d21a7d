import { readdirSync } from "node:fs";
import path from "node:path";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, login, registerUser } from "./support/accounts";
import { avatarPath, makeImage, uploadAvatar } from "./support/uploads";

const DELETE = /* GraphQL */ `mutation Delete($password: String!) { deleteAccount(password: $password) }`;

describe.each(testDatabases)("deleteAccount on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("refuses a wrong password and changes nothing", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const { body } = await server.gql(DELETE, { password: "not-the-password-at-all" }, { token: accessToken });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });
    expect(JSON.stringify(body)).not.toContain("not-the-password-at-all");
    expect((await server.gql(ME, {}, { token: accessToken })).body.data.me.id).toBe(user.id);
    const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.deletedAt).toBeNull();
  });

  it("needs a signed-in user", async () => {
    const { body } = await server.gql(DELETE, { password: "whatever-it-is-here" });
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("revokes every session, frees the username and e-mail, removes profile and avatar, keeps the row", async () => {
    const user = await registerUser(server);
    const first = await login(server, user.username);
    const second = await login(server, user.email);
    await server.gql(`mutation { generateFakeProfile { id } }`, {}, { token: first.accessToken });
    const avatarUrl = (await uploadAvatar(server, first.accessToken, await makeImage("jpeg"))).body.data.uploadAvatar.avatarUrl;

    const { body } = await server.gql(DELETE, { password: user.password }, { token: first.accessToken });
    expect(body).toEqual({ data: { deleteAccount: true } });

    // Both sessions' access tokens stop working at once.
    for (const token of [first.accessToken, second.accessToken]) {
      expect((await server.gql(ME, {}, { token })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
    // Signing in fails exactly like for an account that never existed.
    for (const identifier of [user.username, user.email, user.id]) {
      const attempt = await server.gql(LOGIN, { input: { identifier, password: user.password } });
      expect(attempt.body.errors).toEqual([expect.objectContaining({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } })]);
    }
    const stranger = await server.gql(LOGIN, { input: { identifier: "nobody-ever-here", password: user.password } });
    expect(stranger.body.errors?.[0].message).toBe("Invalid credentials");

    // The avatar file is gone and its URL answers 404.
    expect(readdirSync(path.join(server.dataDir, "avatars")).filter((name) => name.startsWith(user.id))).toEqual([]);
    expect((await fetch(`${server.url}${avatarPath(avatarUrl)}`)).status).toBe(404);

    const prisma = server.app.database.prisma;
    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ email: null, emailNormalized: null, avatarExt: null });
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect(row.usernameNormalized).not.toBe(user.username.toLowerCase());
    expect(await prisma.profile.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.credential.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    const audit = await prisma.auditEvent.findMany({ where: { userId: user.id, type: "ACCOUNT_DELETED" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].metadata).toEqual({ sessionsRevoked: 2 });

    // The username (in any case) and the e-mail address can be registered again.
    const again = await registerUser(server, { username: user.username.toUpperCase(), email: user.email });
    expect(again.id).not.toBe(user.id);
    expect((await login(server, user.username)).user.id).toBe(again.id);
  });

  it("a second deleteAccount with the old token is refused", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    await server.gql(DELETE, { password: user.password }, { token: accessToken });
    const { body } = await server.gql(DELETE, { password: user.password }, { token: accessToken });
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(await server.app.database.prisma.auditEvent.count({ where: { userId: user.id, type: "ACCOUNT_DELETED" } })).toBe(1);
  });
});
