import { createHash } from "node:crypto";
import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, STRONG_PASSWORD, login, registerSignedInUser } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { CREATE_PAT, LIST_PATS, REVOKE_PAT, createPat, outcome } from "./support/personal-access-tokens";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("base64url");

// Making, listing and revoking personal access tokens; the secret is shown once and kept hashed.
describe.each(testDatabases)("personal access token management on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ...ADMIN_ENV, REAUTH_MAX_AGE: "2m" } });
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());
  const prisma = () => server.app.database.prisma;

  it("needs a recent sign-in to make a token", async () => {
    const user = await registerSignedInUser(server);
    server.clock.advance(3 * MINUTE);
    const stale = await server.gql(CREATE_PAT, { name: "late" }, { token: user.token });
    expect(outcome(stale.body)).toBe("FORBIDDEN/REAUTHENTICATION_REQUIRED");
    expect(await prisma().personalAccessToken.count({ where: { userId: user.id } })).toBe(0);
    const reauth = await server.gql(`mutation ($input: ReauthenticateInput!) { reauthenticate(input: $input) { id } }`, { input: { password: STRONG_PASSWORD } }, { token: user.token });
    expect(outcome(reauth.body)).toBe("OK");
    expect(outcome((await server.gql(CREATE_PAT, { name: "fresh" }, { token: user.token })).body)).toBe("OK");
  });

  it("shows the secret once, stores only its hash, and lists tokens without it", async () => {
    const user = await registerSignedInUser(server);
    const created = await createPat(server, user.token, ["read:profile", "write:profile"], { name: "  deploy script  " });
    expect(created.secret).toMatch(/^lk_pat_[A-Za-z0-9_-]{49}$/);
    expect(created.token).toMatchObject({ name: "deploy script", scopes: ["read:profile", "write:profile"], lastUsedAt: null });

    const row = await prisma().personalAccessToken.findUniqueOrThrow({ where: { id: created.token.id } });
    expect(row.tokenHash).toBe(sha256(created.secret));
    expect(JSON.stringify(row)).not.toContain(created.secret.slice("lk_pat_".length, 30));

    const listed = await server.gql(LIST_PATS, {}, { token: user.token });
    expect(listed.body.data.personalAccessTokens).toEqual([expect.objectContaining({ id: created.token.id, name: "deploy script" })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);
    // The type has no field for the secret or its hash.
    const asked = await server.gql(`query { personalAccessTokens { id tokenHash } }`, {}, { token: user.token });
    expect(outcome(asked.body)).toBe("GRAPHQL_VALIDATION_FAILED");
    // Omitted scopes give read:profile.
    const defaults = await server.gql(`mutation { createPersonalAccessToken(name: "defaults") { token { scopes } } }`, {}, { token: user.token });
    expect(defaults.body.data.createPersonalAccessToken.token.scopes).toEqual(["read:profile"]);
  });

  it("checks the name, scopes, expiry and how many tokens an account holds", async () => {
    const user = await registerSignedInUser(server);
    const now = server.clock.now().getTime();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ name: "" }, "name"],
      [{ name: "x".repeat(101) }, "name"],
      [{ name: "ok", scopes: ["read:everything"] }, "scopes"],
      [{ name: "ok", scopes: [] }, "scopes"],
      [{ name: "ok", scopes: ["admin:read"] }, "scopes"],
      [{ name: "ok", expiresAt: new Date(now - MINUTE).toISOString() }, "expiresAt"],
      [{ name: "ok", expiresAt: new Date(now + 400 * DAY).toISOString() }, "expiresAt"],
    ];
    for (const [variables, field] of bad) {
      const { body } = await server.gql(CREATE_PAT, variables, { token: user.token });
      expect([variables, outcome(body), body.errors?.[0].extensions?.field]).toEqual([variables, "BAD_USER_INPUT", field]);
    }
    const expiring = await createPat(server, user.token, ["read:profile"], { expiresAt: new Date(now + 30 * DAY).toISOString() });
    expect(expiring.token).toBeTruthy();

    // At most 50 usable tokens: revoked and expired ones do not count.
    const base = { userId: user.id, name: "filler", scopes: ["read:profile"] };
    await prisma().personalAccessToken.createMany({
      data: [
        ...Array.from({ length: 48 }, (_, i) => ({ ...base, tokenHash: `filler-${user.id}-${i}` })),
        { ...base, tokenHash: `revoked-${user.id}`, revokedAt: new Date(now) },
        { ...base, tokenHash: `expired-${user.id}`, expiresAt: new Date(now - DAY) },
      ],
    });
    expect(outcome((await server.gql(CREATE_PAT, { name: "fiftieth" }, { token: user.token })).body)).toBe("OK");
    expect(outcome((await server.gql(CREATE_PAT, { name: "fifty-first" }, { token: user.token })).body)).toBe("CONFLICT");
  });

  it("revokes only the owner's own tokens and lists revoked ones on request", async () => {
    const owner = await registerSignedInUser(server);
    const other = await registerSignedInUser(server);
    const { token } = await createPat(server, owner.token);
    const foreign = await server.gql(REVOKE_PAT, { id: token.id }, { token: other.token });
    expect(outcome(foreign.body)).toBe("NOT_FOUND");
    expect(outcome((await server.gql(REVOKE_PAT, { id: "no-such-id" }, { token: owner.token })).body)).toBe("NOT_FOUND");
    expect((await prisma().personalAccessToken.findUniqueOrThrow({ where: { id: token.id } })).revokedAt).toBeNull();

    const revoked = await server.gql(REVOKE_PAT, { id: token.id }, { token: owner.token });
    expect(revoked.body.data.revokePersonalAccessToken.revokedAt).toEqual(expect.any(String));
    // Again: nothing changes, still answered.
    const again = await server.gql(REVOKE_PAT, { id: token.id }, { token: owner.token });
    expect(again.body.data.revokePersonalAccessToken.revokedAt).toBe(revoked.body.data.revokePersonalAccessToken.revokedAt);
    expect((await server.gql(LIST_PATS, {}, { token: owner.token })).body.data.personalAccessTokens).toEqual([]);
    expect((await server.gql(LIST_PATS, { includeRevoked: true }, { token: owner.token })).body.data.personalAccessTokens.map((t: { id: string }) => t.id)).toEqual([token.id]);
    expect((await server.gql(LIST_PATS, {}, { token: other.token })).body.data.personalAccessTokens).toEqual([]);
  });

  it("refuses to make a token in an impersonated session", async () => {
    const user = await registerSignedInUser(server);
    const started = await server.gql(
      `mutation ($userId: ID!) { impersonateUser(userId: $userId, reason: "Ticket 99: settings") { accessToken } }`, { userId: user.id }, { token: await adminToken(server) },
    );
    const impersonated = started.body.data.impersonateUser.accessToken as string;
    expect(outcome((await server.gql(CREATE_PAT, { name: "sneaky" }, { token: impersonated })).body)).toBe("FORBIDDEN/IMPERSONATION");
    expect(await prisma().personalAccessToken.count({ where: { userId: user.id } })).toBe(0);
  });

  it("keeps tokens through a password change and logoutAllSessions, stops them while disabled, erases them with the account", async () => {
    const user = await registerSignedInUser(server);
    const { secret } = await createPat(server, user.token);
    const changed = await server.gql(
      `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }`, { input: { currentPassword: STRONG_PASSWORD, newPassword: "another-long-password-77" } }, { token: user.token },
    );
    expect(outcome(changed.body)).toBe("OK");
    const session = await login(server, user.username, "another-long-password-77");
    expect(outcome((await server.gql(`mutation { logoutAllSessions }`, {}, { token: session.accessToken })).body)).toBe("OK");
    expect(outcome((await server.gql(ME, {}, { token: secret })).body)).toBe("OK");

    await prisma().user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(outcome((await server.gql(ME, {}, { token: secret })).body)).toBe("UNAUTHENTICATED");
    await prisma().user.update({ where: { id: user.id }, data: { disabled: false } });
    expect(outcome((await server.gql(ME, {}, { token: secret })).body)).toBe("OK");

    const fresh = await login(server, user.username, "another-long-password-77");
    const deleted = await server.gql(`mutation ($password: String!) { deleteAccount(password: $password) }`, { password: "another-long-password-77" }, { token: fresh.accessToken });
    expect(outcome(deleted.body)).toBe("OK");
    expect(outcome((await server.gql(ME, {}, { token: secret })).body)).toBe("UNAUTHENTICATED");
    expect(await prisma().personalAccessToken.count({ where: { userId: user.id } })).toBe(0);
  });
});
