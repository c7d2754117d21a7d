import { createHash } from "node:crypto";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ADMIN_ENV, adminToken, signedInAs } from "./support/admin";
import { AuthorizedAppsStore } from "../src/provider/authorized-apps.store";

const MINUTE = 60_000;
const DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

const CLIENT_FIELDS = "id clientId name redirectUris postLogoutRedirectUris grantTypes scopes public firstParty createdAt";
const CREATE = `mutation ($input: OAuthClientInput!) { createOAuthClient(input: $input) { clientSecret client { ${CLIENT_FIELDS} } } }`;
const UPDATE = `mutation ($id: ID!, $input: OAuthClientInput!) { updateOAuthClient(id: $id, input: $input) { ${CLIENT_FIELDS} } }`;
const ROTATE = `mutation ($id: ID!) { rotateOAuthClientSecret(id: $id) { clientSecret client { id clientId } } }`;
const DELETE = `mutation ($id: ID!) { deleteOAuthClient(id: $id) }`;
const LIST = `{ oauthClients { ${CLIENT_FIELDS} } }`;

const WEB_APP = {
  name: "Support desk",
  redirectUris: ["https://desk.example.com/callback"],
  postLogoutRedirectUris: ["https://desk.example.com/"],
  grantTypes: ["authorization_code", "refresh_token"],
};

/** What a stored secret hash must be: SHA-256 of the secret, base64url (common/tokens.ts). */
const hashOf = (secret: string) => createHash("sha256").update(secret, "utf8").digest("base64url");

// The provider's clients are an ADMIN's to manage, with a recent sign-in; their secrets are
// shown once and only their hash is kept.
describe.each(testDatabases)("OpenID Provider clients over GraphQL on %s", (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ...ADMIN_ENV, REAUTH_MAX_AGE: "2m" } });
    admin = await adminToken(server);
  });
  afterAll(() => server?.stop());

  const prisma = () => server.app.database.prisma;
  /** The stored row, read with a statement of its own rather than through the feature. */
  async function storedRow(clientId: string) {
    const rows = await prisma().$queryRaw<Array<{ secretHash: string | null; name: string }>>`SELECT "secretHash", "name" FROM "OAuthClient" WHERE "clientId" = ${clientId}`;
    return rows[0];
  }
  const errorOf = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => body.errors?.[0]?.extensions;
  async function create(input: Record<string, unknown>, token = admin) {
    return (await server.gql(CREATE, { input }, { token })).body;
  }
  async function auditOf(type: string) {
    return prisma().auditEvent.findMany({ where: { type }, orderBy: { createdAt: "asc" } });
  }

  it("creates a confidential client, shows its secret once and keeps only its hash", async () => {
    const body = await create(WEB_APP);
    expect(body.errors).toBeUndefined();
    const { client, clientSecret } = body.data.createOAuthClient;
    expect(client).toEqual({
      id: expect.any(String),
      clientId: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      name: "Support desk",
      redirectUris: ["https://desk.example.com/callback"],
      postLogoutRedirectUris: ["https://desk.example.com/"],
      grantTypes: ["authorization_code", "refresh_token"],
      scopes: ["openid", "profile", "email", "offline_access"],
      public: false,
      firstParty: false,
      createdAt: expect.any(String),
    });
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const row = await storedRow(client.clientId);
    expect(row.secretHash).toBe(hashOf(clientSecret));
    expect(row.secretHash).not.toContain(clientSecret);
    expect(await server.app.services.oauthClients.verifySecret(client.clientId, clientSecret)).toBe(true);
    expect(await server.app.services.oauthClients.verifySecret(client.clientId, `${clientSecret.slice(0, -1)}x`)).toBe(false);

    // Never again: not in the list, not in an update's answer, not in the audit trail.
    const listed = (await server.gql(LIST, {}, { token: admin })).body;
    expect(listed.data.oauthClients).toContainEqual(client);
    expect(JSON.stringify(listed)).not.toContain(clientSecret);
    const updated = (await server.gql(UPDATE, { id: client.id, input: { ...WEB_APP, name: "Help desk" } }, { token: admin })).body;
    expect(JSON.stringify(updated)).not.toContain(clientSecret);
    const [created] = (await auditOf("OAUTH_CLIENT_CREATED")).filter((event) => (event.metadata as any)?.clientId === client.clientId);
    expect(created).toMatchObject({ userId: null, actorId: expect.any(String) });
    expect(JSON.stringify(created)).not.toContain(clientSecret);
    expect(JSON.stringify(created)).not.toContain(row.secretHash!);
  });

  it("gives two clients different ids and secrets", async () => {
    const [a, b] = [await create(WEB_APP), await create(WEB_APP)].map((body) => body.data.createOAuthClient);
    expect(a.client.clientId).not.toBe(b.client.clientId);
    expect(a.clientSecret).not.toBe(b.clientSecret);
  });

  it("creates a public client without a secret, and refuses to rotate one it does not have", async () => {
    const body = await create({ name: "Mobile app", redirectUris: ["http://127.0.0.1:8123/cb"], grantTypes: ["authorization_code", "refresh_token"], public: true, scopes: ["openid", "email"] });
    expect(body.errors).toBeUndefined();
    const { client, clientSecret } = body.data.createOAuthClient;
    expect(clientSecret).toBeNull();
    expect(client).toMatchObject({ public: true, scopes: ["openid", "email"] });
    expect((await storedRow(client.clientId)).secretHash).toBeNull();
    const rotated = (await server.gql(ROTATE, { id: client.id }, { token: admin })).body;
    expect(errorOf(rotated)).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
  });

  it("rotates a secret: the new one is shown once and the old one stops matching", async () => {
    const { client, clientSecret: old } = (await create({ name: "Billing", redirectUris: [], grantTypes: ["client_credentials"] })).data.createOAuthClient;
    const before = await storedRow(client.clientId);
    const body = (await server.gql(ROTATE, { id: client.id }, { token: admin })).body;
    expect(body.errors).toBeUndefined();
    const fresh = body.data.rotateOAuthClientSecret.clientSecret as string;
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(old);
    const after = await storedRow(client.clientId);
    expect(after.secretHash).toBe(hashOf(fresh));
    expect(after.secretHash).not.toBe(before.secretHash);
    const verify = (secret: string) => server.app.services.oauthClients.verifySecret(client.clientId, secret);
    expect([await verify(old), await verify(fresh)]).toEqual([false, true]);
    expect((await auditOf("OAUTH_CLIENT_SECRET_ROTATED")).map((event) => (event.metadata as any)?.clientId)).toContain(client.clientId);
  });

  it("replaces a client's settings on update, keeping its id, client_id and secret, and audits the fields changed", async () => {
    const { client, clientSecret } = (await create(WEB_APP)).data.createOAuthClient;
    const hash = (await storedRow(client.clientId)).secretHash;
    const input = {
      name: "Grafana",
      redirectUris: ["https://grafana.example.com/login/generic_oauth", "http://localhost:3000/login/generic_oauth"],
      grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
      firstParty: true,
      scopes: ["openid", "profile"],
    };
    const body = (await server.gql(UPDATE, { id: client.id, input }, { token: admin })).body;
    expect(body.errors).toBeUndefined();
    expect(body.data.updateOAuthClient).toEqual({ ...client, ...input, postLogoutRedirectUris: [] });
    expect((await storedRow(client.clientId)).secretHash).toBe(hash);
    expect(await server.app.services.oauthClients.verifySecret(client.clientId, clientSecret)).toBe(true);
    const [event] = (await auditOf("OAUTH_CLIENT_UPDATED")).filter((e) => (e.metadata as any)?.clientId === client.clientId);
    expect((event.metadata as any).fields.sort()).toEqual(["firstParty", "grantTypes", "name", "postLogoutRedirectUris", "redirectUris", "scopes"]);

    const flip = (await server.gql(UPDATE, { id: client.id, input: { ...input, grantTypes: ["authorization_code"], public: true } }, { token: admin })).body;
    expect(errorOf(flip)).toMatchObject({ code: "BAD_USER_INPUT", field: "public" });
    const unknown = (await server.gql(UPDATE, { id: "0190f2c4-0000-7000-8000-000000000000", input }, { token: admin })).body;
    expect(errorOf(unknown)?.code).toBe("NOT_FOUND");
  });

  it("deletes a client with every consent and token issued to it, in one go, and audits it", async () => {
    const { client } = (await create(WEB_APP)).data.createOAuthClient;
    const { client: other } = (await create(WEB_APP)).data.createOAuthClient;
    const { user } = await signedInAs(server, "USER");
    const grants = new AuthorizedAppsStore(prisma());
    const now = server.clock.now();
    await grants.insertGrant("grant-del-1", { accountId: user.id, clientId: client.clientId, openid: { scope: "openid" } }, null);
    await grants.insertGrant("grant-keep-1", { accountId: user.id, clientId: other.clientId, openid: { scope: "openid" } }, null);
    await prisma().oidcPayload.createMany({
      data: [
        { model: "RefreshToken", id: "rt-del-1", grantId: "grant-del-1", accountId: user.id, payload: { clientId: client.clientId, grantId: "grant-del-1" } },
        { model: "ClientCredentials", id: "cc-del-1", payload: { clientId: client.clientId }, expiresAt: new Date(now.getTime() + MINUTE) },
        { model: "RefreshToken", id: "rt-keep-1", grantId: "grant-keep-1", accountId: user.id, payload: { clientId: other.clientId, grantId: "grant-keep-1" } },
      ],
    });

    expect((await server.gql(DELETE, { id: client.id }, { token: admin })).body).toEqual({ data: { deleteOAuthClient: true } });
    expect(await storedRow(client.clientId)).toBeUndefined();
    const left = await prisma().oidcPayload.findMany({ where: { id: { in: ["grant-del-1", "rt-del-1", "cc-del-1", "grant-keep-1", "rt-keep-1"] } }, select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual(["grant-keep-1", "rt-keep-1"]);
    const [event] = (await auditOf("OAUTH_CLIENT_DELETED")).filter((e) => (e.metadata as any)?.clientId === client.clientId);
    expect(event.metadata).toMatchObject({ clientId: client.clientId, grants: 1 });
    expect((await server.gql(DELETE, { id: client.id }, { token: admin })).body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect((await server.gql(LIST, {}, { token: admin })).body.data.oauthClients.map((c: { id: string }) => c.id)).not.toContain(client.id);
  });

  const INVALID: Array<[string, Record<string, unknown>, string]> = [
    ["an empty name", { name: "  " }, "name"],
    ["a name of 101 characters", { name: "n".repeat(101) }, "name"],
    ["a name with a control character", { name: "Desk\u0007" }, "name"],
    ["a relative redirect URI", { redirectUris: ["/callback"] }, "redirectUris"],
    ["a plain-http redirect URI off the loopback host", { redirectUris: ["http://desk.example.com/callback"] }, "redirectUris"],
    ["a redirect URI with a fragment", { redirectUris: ["https://desk.example.com/callback#x"] }, "redirectUris"],
    ["a redirect URI with credentials", { redirectUris: ["https://user:pw@desk.example.com/callback"] }, "redirectUris"],
    ["a javascript: redirect URI", { redirectUris: ["javascript:alert(1)"] }, "redirectUris"],
    ["a redirect URI of 2049 characters", { redirectUris: [`https://desk.example.com/${"a".repeat(2049 - 25)}`] }, "redirectUris"],
    ["11 redirect URIs", { redirectUris: Array.from({ length: 11 }, (_, i) => `https://desk.example.com/cb${i}`) }, "redirectUris"],
    ["a post-logout URI with a fragment", { postLogoutRedirectUris: ["https://desk.example.com/#bye"] }, "postLogoutRedirectUris"],
    ["an unknown grant type", { grantTypes: ["authorization_code", "password"] }, "grantTypes"],
    ["the implicit grant", { grantTypes: ["implicit"] }, "grantTypes"],
    ["no grant type", { grantTypes: [] }, "grantTypes"],
    ["refresh_token alone", { grantTypes: ["refresh_token"] }, "grantTypes"],
    ["authorization_code without a redirect URI", { redirectUris: [] }, "redirectUris"],
    ["client_credentials on a public client", { public: true, grantTypes: ["authorization_code", "client_credentials"] }, "grantTypes"],
    ["an unknown scope", { scopes: ["openid", "admin"] }, "scopes"],
    ["an empty scope list", { scopes: [] }, "scopes"],
  ];

  it.each(INVALID)("refuses %s with BAD_USER_INPUT naming the field, creating nothing", async (_name, change, field) => {
    const before = await prisma().oAuthClient.count();
    const body = await create({ ...WEB_APP, ...change });
    expect(errorOf(body)).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await prisma().oAuthClient.count()).toBe(before);
  });

  it("accepts the development loopback hosts and the device flow without redirect URIs", async () => {
    const body = await create({ name: "CLI", redirectUris: [], grantTypes: [DEVICE_CODE, "refresh_token"], public: true });
    expect(body.errors).toBeUndefined();
    expect(body.data.createOAuthClient.client.grantTypes).toEqual(["refresh_token", DEVICE_CODE]);
    const local = await create({ ...WEB_APP, redirectUris: ["http://localhost:5173/cb", "http://127.0.0.1/cb", "https://[::1]:8443/cb"] });
    expect(local.errors).toBeUndefined();
  });

  it.each(["USER", "MODERATOR"] as const)("answers FORBIDDEN to a %s for every operation, changing nothing", async (role) => {
    const { client } = (await create(WEB_APP)).data.createOAuthClient;
    const hash = (await storedRow(client.clientId)).secretHash;
    const count = await prisma().oAuthClient.count();
    const caller = await signedInAs(server, role);
    const answers = [
      await server.gql(LIST, {}, { token: caller.token }),
      await server.gql(CREATE, { input: WEB_APP }, { token: caller.token }),
      await server.gql(UPDATE, { id: client.id, input: { ...WEB_APP, name: "Taken over" } }, { token: caller.token }),
      await server.gql(ROTATE, { id: client.id }, { token: caller.token }),
      await server.gql(DELETE, { id: client.id }, { token: caller.token }),
    ];
    expect(answers.map(({ body }) => errorOf(body)?.code)).toEqual(Array(5).fill("FORBIDDEN"));
    expect(await prisma().oAuthClient.count()).toBe(count);
    expect(await storedRow(client.clientId)).toEqual({ secretHash: hash, name: WEB_APP.name });
    const signedOut = await server.gql(LIST, {});
    expect(errorOf(signedOut.body)?.code).toBe("UNAUTHENTICATED");
  });

  it("answers REAUTHENTICATION_REQUIRED to an ADMIN whose sign-in is older than REAUTH_MAX_AGE, and lists clients all the same", async () => {
    const stale = await adminToken(server);
    const { client } = (await create(WEB_APP)).data.createOAuthClient;
    const hash = (await storedRow(client.clientId)).secretHash;
    const count = await prisma().oAuthClient.count();
    server.clock.advance(3 * MINUTE);
    try {
      const answers = [
        await server.gql(CREATE, { input: WEB_APP }, { token: stale }),
        await server.gql(UPDATE, { id: client.id, input: { ...WEB_APP, name: "Stale" } }, { token: stale }),
        await server.gql(ROTATE, { id: client.id }, { token: stale }),
        await server.gql(DELETE, { id: client.id }, { token: stale }),
      ];
      for (const { body } of answers) expect(errorOf(body)).toMatchObject({ code: "FORBIDDEN", reason: "REAUTHENTICATION_REQUIRED" });
      expect(await prisma().oAuthClient.count()).toBe(count);
      expect(await storedRow(client.clientId)).toEqual({ secretHash: hash, name: WEB_APP.name });
      expect((await server.gql(LIST, {}, { token: stale })).body.errors).toBeUndefined();
    } finally {
      admin = await adminToken(server);
    }
  });
});
