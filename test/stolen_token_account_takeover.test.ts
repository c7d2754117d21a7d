import type { TestServer, GraphQLResponse } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, REFRESH, STRONG_PASSWORD, isAccepted, login, registerUser, uniqueName, type RegisteredUser } from "./support/accounts";
import { BEGIN_HOTP, BEGIN_TOTP, CONFIRM, nextTotpCode } from "./support/two-factor";
import { BEGIN_REGISTRATION, FINISH_REGISTRATION, REMOVE, addPasskey } from "./support/passkeys";
import { SoftwareAuthenticator } from "./support/software-authenticator";
import type { TestOidcProvider } from "./support/oidc-test-provider";
import { LINK_OAUTH, START_OAUTH, UNLINK_OAUTH, authorizeAt, useServerWithOidcProvider } from "./support/oauth";
import { CREATE_ENDPOINT, createEndpoint } from "./support/webhooks";

// A stolen access token (an XSS, a leaked log, a shared machine) keeps working until it
// expires and can be refreshed for as long as the refresh token lives. Before this rule it was
// enough to add a passkey or change the e-mail and own the account for good. Now the changes
// that decide who can get in need a session whose user proved who they are within
// REAUTH_MAX_AGE (10 minutes); refreshing tokens does not count as proof.

const REAUTHENTICATE = /* GraphQL */ `
  mutation Reauth($input: ReauthenticateInput!) { reauthenticate(input: $input) { id current authenticatedAt } }
`;
const MY_SESSIONS = /* GraphQL */ `query { mySessions { id current authenticatedAt createdAt lastSeenAt } }`;
const UPDATE_PROFILE = /* GraphQL */ `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`;
const SET_ROLE = /* GraphQL */ `mutation($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id role } }`;
const SET_DISABLED = /* GraphQL */ `mutation($userId: ID!, $disabled: Boolean!) { setUserDisabled(userId: $userId, disabled: $disabled) { id disabled } }`;
const REVOKE_USER_SESSIONS = /* GraphQL */ `mutation($userId: ID!) { revokeUserSessions(userId: $userId) }`;
const UPDATE_ENDPOINT = /* GraphQL */ `mutation($id: ID!) { updateWebhookEndpoint(id: $id, enabled: false) { id enabled } }`;
const ROTATE_SECRET = /* GraphQL */ `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`;
const DELETE_ENDPOINT = /* GraphQL */ `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const REDELIVER = /* GraphQL */ `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }`;

const MINUTE = 60_000;
const HOOK_URL = "http://127.0.0.1:9/hook";

/** The signed-in attacker's view of the session: the stolen (refreshed) access token. */
interface Stolen {
  user: RegisteredUser;
  token: string;
  sessionId: string;
  signedInAt: string;
  /** Whatever the case prepared while the session was still fresh. */
  prepared: any;
}

interface GuardedCase {
  name: string;
  admin?: boolean;
  /** Runs while the session is fresh (6 minutes after sign-in), with its token. */
  prepare?: (s: Omit<Stolen, "prepared">) => Promise<any>;
  attempt: (s: Stolen) => Promise<GraphQLResponse>;
  /** Asserts that the refused attempt changed nothing. */
  unchanged: (s: Stolen) => Promise<void>;
  /** Asserts what the same call does after reauthenticate. */
  allowed: (result: GraphQLResponse, s: Stolen) => Promise<void> | void;
}

describe.each(testDatabases)("a stolen access token older than REAUTH_MAX_AGE on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
  useServerWithOidcProvider(kind, (started) => ({ op, server } = started), { env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
  const prisma = () => server.app.database.prisma;

  /**
   * Signs in, refreshes after 6 minutes (the access token an attacker would keep using), runs
   * `prepare` while the proof is still recent, then lets the proof age past 10 minutes while
   * the session itself stays live (used 4.5 minutes ago, well inside the idle timeout).
   */
  async function staleSession(options: { admin?: boolean; prepare?: GuardedCase["prepare"] } = {}): Promise<Stolen> {
    const user = await registerUser(server);
    if (options.admin) await prisma().user.update({ where: { id: user.id }, data: { role: "ADMIN", emailVerified: true } });
    else await prisma().user.update({ where: { id: user.id }, data: { emailVerified: true } });
    const signedIn = await login(server, user.username);
    const [before] = (await server.gql(MY_SESSIONS, {}, { token: signedIn.accessToken })).body.data.mySessions;
    server.clock.advance(6 * MINUTE);
    const refreshed = await server.gql(REFRESH, { token: signedIn.refreshToken });
    expect(refreshed.body.errors).toBeUndefined();
    const token = refreshed.body.data.refreshSession.accessToken as string;
    const base = { user, token, sessionId: signedIn.session.id, signedInAt: before.authenticatedAt as string };
    const prepared = options.prepare ? await options.prepare(base) : undefined;
    server.clock.advance(4.5 * MINUTE);
    return { ...base, prepared };
  }

  const expectReauthRequired = (result: GraphQLResponse) => {
    expect(result.body.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN", reason: "REAUTHENTICATION_REQUIRED" } });
    expect(result.body.data ?? null).toBeNull();
  };

  const expectBetween = (iso: string, from: number, to: number) => {
    expect(new Date(iso).getTime()).toBeGreaterThanOrEqual(from);
    expect(new Date(iso).getTime()).toBeLessThanOrEqual(to);
  };

  const target = async () => {
    const user = await registerUser(server);
    return { user, token: (await login(server, user.username)).accessToken };
  };

  const cases: GuardedCase[] = [
    {
      name: "updateProfile changing the e-mail",
      attempt: (s) => server.gql(UPDATE_PROFILE, { input: { email: `${uniqueName("new")}@example.com` } }, { token: s.token }),
      unchanged: async (s) => {
        const row = await prisma().user.findUniqueOrThrow({ where: { id: s.user.id } });
        expect(row.email).toBe(s.user.email);
        expect(row.emailVerified).toBe(true);
      },
      allowed: (result) => expect(result.body.errors).toBeUndefined(),
    },
    {
      name: "beginTotpEnrollment",
      attempt: (s) => server.gql(BEGIN_TOTP, {}, { token: s.token }),
      unchanged: async (s) => expect(await prisma().twoFactor.count({ where: { userId: s.user.id } })).toBe(0),
      allowed: (result) => expect(result.body.data.beginTotpEnrollment.secret).toMatch(/^[A-Z2-7]+$/),
    },
    {
      name: "beginHotpEnrollment",
      attempt: (s) => server.gql(BEGIN_HOTP, {}, { token: s.token }),
      unchanged: async (s) => expect(await prisma().twoFactor.count({ where: { userId: s.user.id } })).toBe(0),
      allowed: (result) => expect(result.body.data.beginHotpEnrollment.otpauthUrl).toMatch(/^otpauth:\/\/hotp\//),
    },
    {
      name: "confirmTwoFactorEnrollment",
      prepare: async (s) => (await server.gql(BEGIN_TOTP, {}, { token: s.token })).body.data.beginTotpEnrollment.secret,
      attempt: (s) => server.gql(CONFIRM, { code: nextTotpCode(server, s.prepared) }, { token: s.token }),
      unchanged: async (s) => {
        const row = await prisma().twoFactor.findFirstOrThrow({ where: { userId: s.user.id } });
        expect(row.enabledAt).toBeNull();
      },
      allowed: (result) => expect(result.body.data.confirmTwoFactorEnrollment.codes).toHaveLength(10),
    },
    {
      name: "beginPasskeyRegistration",
      attempt: (s) => server.gql(BEGIN_REGISTRATION, {}, { token: s.token }),
      unchanged: async (s) => expect(await prisma().passkeyChallenge.count({ where: { userId: s.user.id } })).toBe(0),
      allowed: (result) => expect(JSON.parse(result.body.data.beginPasskeyRegistration).challenge).toEqual(expect.any(String)),
    },
    {
      name: "finishPasskeyRegistration",
      // Begun while the proof was recent; the challenge (5 minutes) is still good when finished.
      prepare: async (s) => {
        const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: s.token });
        return new SoftwareAuthenticator().register(begun.body.data.beginPasskeyRegistration);
      },
      attempt: (s) => server.gql(FINISH_REGISTRATION, { responseJson: s.prepared, name: "attacker" }, { token: s.token }),
      unchanged: async (s) => expect(await prisma().webAuthnCredential.count({ where: { userId: s.user.id } })).toBe(0),
      allowed: (result) => expect(result.body.data.finishPasskeyRegistration.name).toBe("attacker"),
    },
    {
      name: "removePasskey",
      prepare: async (s) => (await addPasskey(server, s.token)).id,
      attempt: (s) => server.gql(REMOVE, { id: s.prepared }, { token: s.token }),
      unchanged: async (s) => expect(await prisma().webAuthnCredential.count({ where: { id: s.prepared } })).toBe(1),
      allowed: (result) => expect(result.body.data.removePasskey).toBe(true),
    },
    {
      name: "startOAuthLogin while signed in (starts a link)",
      attempt: (s) => server.gql(START_OAUTH, { provider: "testop", redirectUri: op.redirectUri }, { token: s.token }),
      unchanged: async (s) => expect(await prisma().oAuthFlow.count({ where: { userId: s.user.id } })).toBe(0),
      allowed: (result) => expect(result.body.data.startOAuthLogin.authorizationUrl).toMatch(/^http/),
    },
    {
      name: "linkOAuthAccount",
      prepare: async (s) => {
        const { authorizationUrl, ...input } = await authorizeAt(server, op, op.addAccount({ sub: uniqueName("sub") }).sub, { token: s.token });
        void authorizationUrl;
        return input;
      },
      attempt: (s) => server.gql(LINK_OAUTH, { input: s.prepared }, { token: s.token }),
      unchanged: async (s) => expect(await prisma().oAuthAccount.count({ where: { userId: s.user.id } })).toBe(0),
      allowed: (result) => expect(result.body.data.linkOAuthAccount.linkedProviders).toEqual(["testop"]),
    },
    {
      name: "unlinkOAuthAccount",
      prepare: async (s) => {
        const { authorizationUrl, ...input } = await authorizeAt(server, op, op.addAccount({ sub: uniqueName("sub") }).sub, { token: s.token });
        void authorizationUrl;
        const linked = await server.gql(LINK_OAUTH, { input }, { token: s.token });
        expect(linked.body.errors).toBeUndefined();
      },
      attempt: (s) => server.gql(UNLINK_OAUTH, { provider: "testop" }, { token: s.token }),
      unchanged: async (s) => expect(await prisma().oAuthAccount.count({ where: { userId: s.user.id } })).toBe(1),
      allowed: (result) => expect(result.body.data.unlinkOAuthAccount.linkedProviders).toEqual([]),
    },
    {
      name: "setUserRole",
      admin: true,
      prepare: async () => (await registerUser(server)).id,
      attempt: (s) => server.gql(SET_ROLE, { userId: s.prepared, role: "ADMIN" }, { token: s.token }),
      unchanged: async (s) => expect((await prisma().user.findUniqueOrThrow({ where: { id: s.prepared } })).role).toBe("USER"),
      allowed: (result) => expect(result.body.data.setUserRole.role).toBe("ADMIN"),
    },
    {
      name: "setUserDisabled",
      admin: true,
      prepare: async () => (await registerUser(server)).id,
      attempt: (s) => server.gql(SET_DISABLED, { userId: s.prepared, disabled: true }, { token: s.token }),
      unchanged: async (s) => expect((await prisma().user.findUniqueOrThrow({ where: { id: s.prepared } })).disabled).toBe(false),
      allowed: (result) => expect(result.body.data.setUserDisabled.disabled).toBe(true),
    },
    {
      name: "revokeUserSessions",
      admin: true,
      prepare: target,
      attempt: (s) => server.gql(REVOKE_USER_SESSIONS, { userId: s.prepared.user.id }, { token: s.token }),
      unchanged: async (s) => {
        expect(await prisma().session.count({ where: { userId: s.prepared.user.id, revokedAt: { not: null } } })).toBe(0);
      },
      allowed: (result) => expect(result.body.data.revokeUserSessions).toBe(1),
    },
    {
      name: "createWebhookEndpoint",
      admin: true,
      attempt: (s) => server.gql(CREATE_ENDPOINT, { url: `${HOOK_URL}/${s.user.id}`, events: ["user.deleted"] }, { token: s.token }),
      unchanged: async (s) => expect(await prisma().webhookEndpoint.count({ where: { url: `${HOOK_URL}/${s.user.id}` } })).toBe(0),
      allowed: (result) => expect(result.body.data.createWebhookEndpoint.secret).toEqual(expect.any(String)),
    },
    {
      name: "rotateWebhookSecret",
      admin: true,
      prepare: async (s) => {
        const endpoint = await createEndpoint(server, s.token, `${HOOK_URL}/${s.user.id}`, ["user.deleted"]);
        const row = await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
        return { ...endpoint, sealed: row.secretEncrypted };
      },
      attempt: (s) => server.gql(ROTATE_SECRET, { id: s.prepared.id }, { token: s.token }),
      unchanged: async (s) => {
        const row = await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: s.prepared.id } });
        expect(row.secretEncrypted).toBe(s.prepared.sealed);
      },
      allowed: (result, s) => expect(result.body.data.rotateWebhookSecret.secret).not.toBe(s.prepared.secret),
    },
    {
      name: "updateWebhookEndpoint",
      admin: true,
      prepare: (s) => createEndpoint(server, s.token, `${HOOK_URL}/${s.user.id}`, ["user.deleted"]),
      attempt: (s) => server.gql(UPDATE_ENDPOINT, { id: s.prepared.id }, { token: s.token }),
      unchanged: async (s) => expect((await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: s.prepared.id } })).enabled).toBe(true),
      allowed: (result) => expect(result.body.data.updateWebhookEndpoint.enabled).toBe(false),
    },
    {
      name: "deleteWebhookEndpoint",
      admin: true,
      prepare: (s) => createEndpoint(server, s.token, `${HOOK_URL}/${s.user.id}`, ["user.deleted"]),
      attempt: (s) => server.gql(DELETE_ENDPOINT, { id: s.prepared.id }, { token: s.token }),
      unchanged: async (s) => expect(await prisma().webhookEndpoint.count({ where: { id: s.prepared.id } })).toBe(1),
      allowed: (result) => expect(result.body.data.deleteWebhookEndpoint).toBe(true),
    },
    {
      name: "redeliverWebhook",
      admin: true,
      attempt: (s) => server.gql(REDELIVER, { id: "00000000-0000-7000-8000-000000000000" }, { token: s.token }),
      unchanged: async () => undefined,
      // Past the guard, the unknown delivery is what stops it.
      allowed: (result) => expect(result.body.errors?.[0].extensions?.code).toBe("NOT_FOUND"),
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))("%s: refused and nothing changes until reauthenticate", async (_name, c) => {
    const s = await staleSession({ admin: c.admin, prepare: c.prepare });
    // The session itself is still good: reading and harmless writes work.
    expect(await isAccepted(server, s.token)).toBe(true);

    const refused = await c.attempt(s);
    expectReauthRequired(refused);
    await c.unchanged(s);

    const before = server.clock.now().getTime();
    const reauth = await server.gql(REAUTHENTICATE, { input: { password: STRONG_PASSWORD } }, { token: s.token });
    expect(reauth.body.errors).toBeUndefined();
    expect(reauth.body.data.reauthenticate).toMatchObject({ id: s.sessionId, current: true });
    expectBetween(reauth.body.data.reauthenticate.authenticatedAt, before, server.clock.now().getTime());

    const again = await c.attempt(s);
    if (c.name !== "redeliverWebhook") expect(again.body.errors).toBeUndefined();
    await c.allowed(again, s);
  });

  it("lets harmless changes through a stale session: the profile without the e-mail, the same e-mail", async () => {
    const s = await staleSession();
    const name = await server.gql(UPDATE_PROFILE, { input: { name: "Still Me" } }, { token: s.token });
    expect(name.body.errors).toBeUndefined();
    const sameEmail = await server.gql(UPDATE_PROFILE, { input: { email: s.user.email, hobby: "chess" } }, { token: s.token });
    expect(sameEmail.body.errors).toBeUndefined();
  });

  it("refuses a MODERATOR or USER an admin mutation as before, whatever their proof", async () => {
    const s = await staleSession();
    const other = await registerUser(server);
    const refused = await server.gql(SET_ROLE, { userId: other.id, role: "ADMIN" }, { token: s.token });
    expect(refused.body.errors?.[0].extensions).toEqual({ code: "FORBIDDEN" });
  });

  it("shows authenticatedAt in mySessions: set at sign-in, kept by refresh, moved by reauthenticate", async () => {
    const s = await staleSession();
    const sessions = async () => (await server.gql(MY_SESSIONS, {}, { token: s.token })).body.data.mySessions as any[];
    const [afterRefresh] = await sessions();
    expect(afterRefresh).toMatchObject({ id: s.sessionId, current: true, authenticatedAt: afterRefresh.createdAt });
    expect(afterRefresh.authenticatedAt).toBe(s.signedInAt);
    expect(new Date(afterRefresh.lastSeenAt).getTime()).toBeGreaterThan(new Date(afterRefresh.authenticatedAt).getTime());

    const before = server.clock.now().getTime();
    const reauth = await server.gql(REAUTHENTICATE, { input: { password: STRONG_PASSWORD } }, { token: s.token });
    const at = reauth.body.data.reauthenticate.authenticatedAt as string;
    expectBetween(at, before, server.clock.now().getTime());
    const [afterReauth] = await sessions();
    expect(afterReauth.authenticatedAt).toBe(at);

    // Another session of the same user keeps its own proof.
    const second = await login(server, s.user.username);
    server.clock.advance(MINUTE);
    const both = (await server.gql(MY_SESSIONS, {}, { token: second.accessToken })).body.data.mySessions as any[];
    expect(both.find((row) => row.id === s.sessionId).authenticatedAt).toBe(at);
    expect(both.find((row) => row.id === second.session.id).authenticatedAt).not.toBe(at);
  });

  it("sees reauthenticate on the very next request of the session (the cached session is dropped)", async () => {
    const s = await staleSession();
    // Cache the stale state first.
    expectReauthRequired(await server.gql(BEGIN_TOTP, {}, { token: s.token }));
    await server.gql(REAUTHENTICATE, { input: { password: STRONG_PASSWORD } }, { token: s.token });
    const begun = await server.gql(BEGIN_TOTP, {}, { token: s.token });
    expect(begun.body.errors).toBeUndefined();
  });

  it("writes REAUTHENTICATED and REAUTHENTICATION_FAILED audit events, without the secret", async () => {
    const s = await staleSession();
    await server.gql(REAUTHENTICATE, { input: { password: "not-the-password-at-all" } }, { token: s.token });
    await server.gql(REAUTHENTICATE, { input: { password: STRONG_PASSWORD } }, { token: s.token });
    const events = await prisma().auditEvent.findMany({
      where: { userId: s.user.id, type: { in: ["REAUTHENTICATED", "REAUTHENTICATION_FAILED"] } },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((event) => [event.type, event.metadata])).toEqual([
      ["REAUTHENTICATION_FAILED", { sessionId: s.sessionId, method: "PASSWORD" }],
      ["REAUTHENTICATED", { sessionId: s.sessionId, method: "PASSWORD" }],
    ]);
    expect(JSON.stringify(events)).not.toContain("not-the-password-at-all");
  });

  it("leaves a fresh sign-in alone: a just-signed-in session needs no reauthenticate", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const begun = await server.gql(BEGIN_TOTP, {}, { token: accessToken });
    expect(begun.body.errors).toBeUndefined();
    // And the login the attacker cannot do: the password is what they lack.
    const guess = await server.gql(LOGIN, { input: { identifier: user.username, password: "guessing-the-password" } });
    expect(guess.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});
