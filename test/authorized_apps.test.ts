import { randomBytes } from "node:crypto";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerSignedInUser } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { AuthorizedAppsStore } from "../src/provider/authorized-apps.store";

const HOUR = 3_600_000;
const MY_APPS = `{ myAuthorizedApps { id clientId name redirectUris grantTypes public firstParty createdAt } }`;
const REVOKE = `mutation ($clientId: String!) { revokeAuthorizedApp(clientId: $clientId) }`;
const CREATE = `mutation ($input: OAuthClientInput!) { createOAuthClient(input: $input) { client { id clientId name redirectUris grantTypes public firstParty createdAt } } }`;

// A user sees the apps they let sign them in and can take that back: the app's grant goes, and
// with it every code and token issued under it, so its refresh token stops working.
describe.each(testDatabases)("a user's authorized apps on %s", (kind) => {
  let server: TestServer;
  let admin: string;
  let grants: AuthorizedAppsStore;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
    admin = await adminToken(server);
    grants = new AuthorizedAppsStore(server.app.database.prisma);
  });
  afterAll(() => server?.stop());

  const prisma = () => server.app.database.prisma;
  const id = (prefix: string) => `${prefix}-${randomBytes(6).toString("hex")}`;

  async function client(name: string) {
    const { body } = await server.gql(
      CREATE,
      { input: { name, redirectUris: ["https://app.example.com/cb"], grantTypes: ["authorization_code", "refresh_token"] } },
      { token: admin },
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data.createOAuthClient.client as { id: string; clientId: string; name: string };
  }

  /** A consent as the provider records it, with a refresh token, an access token and a code issued under it. */
  async function consent(accountId: string, clientId: string, expiresAt: Date | null = null) {
    const grantId = id("grant");
    await grants.insertGrant(grantId, { accountId, clientId, openid: { scope: "openid email offline_access" } }, expiresAt);
    const issued = ["RefreshToken", "AccessToken", "AuthorizationCode"].map((model) => ({
      model,
      id: id(model),
      grantId,
      accountId,
      payload: { accountId, clientId, grantId, kind: model },
    }));
    await prisma().oidcPayload.createMany({ data: issued });
    return { grantId, issuedIds: issued.map((row) => row.id) };
  }

  const rowsLeft = async (ids: string[]) =>
    (await prisma().oidcPayload.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id).sort();

  it("lists the clients the user consented to, once each, by name, and nothing of other users'", async () => {
    const user = await registerSignedInUser(server);
    const other = await registerSignedInUser(server);
    const [desk, grafana, notMine] = [await client("Support desk"), await client("Grafana"), await client("Wiki")];
    await consent(user.id, desk.clientId);
    await consent(user.id, desk.clientId);
    await consent(user.id, grafana.clientId);
    await consent(other.id, notMine.clientId);

    const { body } = await server.gql(MY_APPS, {}, { token: user.token });
    expect(body.errors).toBeUndefined();
    expect(body.data.myAuthorizedApps.map((app: { name: string }) => app.name)).toEqual(["Grafana", "Support desk"]);
    expect(body.data.myAuthorizedApps[1]).toMatchObject({ id: desk.id, clientId: desk.clientId, public: false, firstParty: false });
    expect(JSON.stringify(body)).not.toMatch(/secret/i);
    expect((await server.gql(MY_APPS, {}, { token: other.token })).body.data.myAuthorizedApps.map((app: { name: string }) => app.name)).toEqual(["Wiki"]);
  });

  it("leaves out expired consents and consents to deleted clients", async () => {
    const user = await registerSignedInUser(server);
    const [expired, deleted] = [await client("Expired"), await client("Deleted")];
    await consent(user.id, expired.clientId, new Date(server.clock.now().getTime() - HOUR));
    await consent(user.id, deleted.clientId);
    await server.gql(`mutation ($id: ID!) { deleteOAuthClient(id: $id) }`, { id: deleted.id }, { token: admin });
    expect((await server.gql(MY_APPS, {}, { token: user.token })).body.data.myAuthorizedApps).toEqual([]);
  });

  it("revokes a consent: the user's grants for that client go with every row issued under them, other consents stay, and it is audited", async () => {
    const user = await registerSignedInUser(server);
    const other = await registerSignedInUser(server);
    const [desk, grafana] = [await client("Desk"), await client("Grafana")];
    const revoked = [await consent(user.id, desk.clientId), await consent(user.id, desk.clientId)];
    const kept = await consent(user.id, grafana.clientId);
    const othersDesk = await consent(other.id, desk.clientId);

    const { body } = await server.gql(REVOKE, { clientId: desk.clientId }, { token: user.token });
    expect(body).toEqual({ data: { revokeAuthorizedApp: true } });

    const revokedIds = revoked.flatMap((c) => [c.grantId, ...c.issuedIds]);
    expect(await rowsLeft(revokedIds)).toEqual([]);
    const keptIds = [kept, othersDesk].flatMap((c) => [c.grantId, ...c.issuedIds]);
    expect(await rowsLeft(keptIds)).toEqual([...keptIds].sort());
    expect((await server.gql(MY_APPS, {}, { token: user.token })).body.data.myAuthorizedApps.map((app: { name: string }) => app.name)).toEqual(["Grafana"]);
    expect((await server.gql(MY_APPS, {}, { token: other.token })).body.data.myAuthorizedApps.map((app: { name: string }) => app.name)).toEqual(["Desk"]);

    const events = await prisma().auditEvent.findMany({ where: { type: "AUTHORIZED_APP_REVOKED", userId: user.id } });
    expect(events).toHaveLength(1);
    expect(events[0].metadata).toMatchObject({ clientId: desk.clientId, grants: 2 });

    // Nothing left to revoke: false, and no second audit entry.
    expect((await server.gql(REVOKE, { clientId: desk.clientId }, { token: user.token })).body).toEqual({ data: { revokeAuthorizedApp: false } });
    expect(await prisma().auditEvent.count({ where: { type: "AUTHORIZED_APP_REVOKED", userId: user.id } })).toBe(1);
  });

  it("cannot revoke another user's consent by naming its client", async () => {
    const user = await registerSignedInUser(server);
    const victim = await registerSignedInUser(server);
    const desk = await client("Desk");
    const theirs = await consent(victim.id, desk.clientId);
    expect((await server.gql(REVOKE, { clientId: desk.clientId }, { token: user.token })).body).toEqual({ data: { revokeAuthorizedApp: false } });
    expect(await rowsLeft([theirs.grantId, ...theirs.issuedIds])).toEqual([theirs.grantId, ...theirs.issuedIds].sort());
  });

  it("answers UNAUTHENTICATED when signed out", async () => {
    expect((await server.gql(MY_APPS, {})).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await server.gql(REVOKE, { clientId: "anything" })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});
