import { startServerPair, type ServerPair, type ServerProcess } from "./support/server-process";
import { LOGIN, REFRESH, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, jwtPayload, uniqueName } from "./support/accounts";
import { CREATE_ORGANIZATION, INVITE_MEMBER, ACCEPT_INVITATION, REMOVE_MEMBER, SET_ACTIVE_ORGANIZATION, SET_MEMBER_ROLE, uniqueSlug } from "./support/organizations";
import { Client } from "pg";

const CURRENT_SESSION = /* GraphQL */ `query { mySessions { current activeOrganization { id } } }`;

// The active organization: claims in the access tokens of the session after switching (and
// after a refresh), and a removal seen on the next request by another process (through Redis).
describe("organization claims across two server processes on shared PostgreSQL and Redis", () => {
  let servers: ServerProcess[] = [];
  let pair: ServerPair;
  let databaseUrl: string;

  beforeAll(async () => {
    pair = await startServerPair();
    servers = pair.servers;
    databaseUrl = pair.databaseUrl;
  }, 120_000);

  afterAll(() => pair?.stop());

  const post = async (server: ServerProcess, query: string, variables: unknown = {}, token?: string) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions: Record<string, any> }> };
  };

  async function signUp(server: ServerProcess): Promise<{ id: string; email: string; token: string; refreshToken: string }> {
    const username = uniqueName("claims");
    const email = `${username}@example.com`;
    const registered = await post(server, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email } });
    expect(registered.errors).toBeUndefined();
    await verify(server, email);
    const login = await post(server, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
    return { id: registered.data.register.userId, email, token: login.data.login.accessToken, refreshToken: login.data.login.refreshToken };
  }

  // Mail is not delivered here: the links are read from the shared database's outbox.
  async function outboxLink(email: string, path: string): Promise<string> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT text FROM "OutboxMail" WHERE "to" = $1 ORDER BY "createdAt" DESC`, [email]);
      const token = rows.map((row) => new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(row.text)?.[1]).find(Boolean);
      if (!token) throw new Error(`no ${path} link mailed to ${email}`);
      return token;
    } finally {
      await client.end();
    }
  }

  async function verify(server: ServerProcess, email: string): Promise<void> {
    const token = await outboxLink(email, "/verify-email");
    const verified = await post(server, `mutation ($token: String!) { verifyEmail(token: $token) { emailVerified } }`, { token });
    expect(verified.data?.verifyEmail.emailVerified).toBe(true);
  }

  it("puts org_id and org_role into the session's tokens and drops them on the next request after removal, on the other process", async () => {
    const [one, two] = servers;
    const owner = await signUp(one);
    const created = await post(one, CREATE_ORGANIZATION, { input: { name: "Claims Inc", slug: uniqueSlug() } }, owner.token);
    const organizationId = created.data.createOrganization.id as string;
    const member = await signUp(one);
    await post(one, INVITE_MEMBER, { organizationId, email: member.email, role: "ADMIN" }, owner.token);
    const accepted = await post(one, ACCEPT_INVITATION, { token: await outboxLink(member.email, "/accept-invitation") }, member.token);
    expect(accepted.errors).toBeUndefined();

    // Not a member: refused, and nothing changes.
    const outsider = await signUp(one);
    const refused = await post(one, SET_ACTIVE_ORGANIZATION, { id: organizationId }, outsider.token);
    expect(refused.errors?.[0].extensions.code).toBe("NOT_FOUND");

    expect(jwtPayload(member.token).org_id).toBeUndefined();
    const switched = await post(one, SET_ACTIVE_ORGANIZATION, { id: organizationId }, member.token);
    expect(switched.data?.setActiveOrganization.current).toBe(true);
    const refreshed = await post(one, REFRESH, { token: member.refreshToken });
    const claims = jwtPayload(refreshed.data.refreshSession.accessToken);
    expect(claims).toMatchObject({ org_id: organizationId, org_role: "ADMIN", sub: member.id });
    const token = refreshed.data.refreshSession.accessToken as string;

    // A role change shows in the next token.
    await post(one, SET_MEMBER_ROLE, { organizationId, userId: member.id, role: "MEMBER" }, owner.token);
    const again = await post(two, REFRESH, { token: refreshed.data.refreshSession.refreshToken });
    expect(jwtPayload(again.data.refreshSession.accessToken)).toMatchObject({ org_id: organizationId, org_role: "MEMBER" });
    const latest = again.data.refreshSession.accessToken as string;

    // The second process caches the session state after its first look-up.
    for (let i = 0; i < 3; i++) {
      const seen = await post(two, CURRENT_SESSION, {}, latest);
      expect(seen.data?.mySessions.find((session: any) => session.current).activeOrganization).toEqual({ id: organizationId });
    }
    expect(token).not.toBe(latest);

    const removed = await post(one, REMOVE_MEMBER, { organizationId, userId: member.id }, owner.token);
    expect(removed.data).toEqual({ removeMember: true });
    const removedAt = Date.now();
    let goneAfter = Infinity;
    while (Date.now() - removedAt < 3_000) {
      const seen = await post(two, CURRENT_SESSION, {}, latest);
      if (seen.data?.mySessions.find((session: any) => session.current).activeOrganization === null) {
        goneAfter = Date.now() - removedAt;
        break;
      }
    }
    expect(goneAfter).toBeLessThan(1_000);
    const afterRemoval = await post(two, REFRESH, { token: again.data.refreshSession.refreshToken });
    const last = jwtPayload(afterRemoval.data.refreshSession.accessToken);
    expect(last.org_id).toBeUndefined();
    expect(last.org_role).toBeUndefined();

    // Clearing it: null.
    const cleared = await post(two, SET_ACTIVE_ORGANIZATION, { id: null }, afterRemoval.data.refreshSession.accessToken);
    expect(cleared.errors).toBeUndefined();
  });
});
