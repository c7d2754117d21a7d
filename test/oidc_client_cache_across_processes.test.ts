import { startServerPair, type ServerPair, type ServerProcess } from "./support/server-process";
import { LOGIN } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME } from "./support/admin";

const CREATE = `mutation ($input: OAuthClientInput!) { createOAuthClient(input: $input) { clientSecret client { id clientId } } }`;
const ROTATE = `mutation ($id: ID!) { rotateOAuthClientSecret(id: $id) { clientSecret } }`;
const DELETE = `mutation ($id: ID!) { deleteOAuthClient(id: $id) }`;

/**
 * Every process keeps registered clients in memory, so a token request reads none. A rotated
 * secret or a deleted client must stop working on every process: at once on the one that made
 * the change, and on the others as soon as Redis tells them (the test allows 2 s for that).
 */
describe("the OpenID Provider's client cache across two server processes on shared PostgreSQL and Redis", () => {
  let pair: ServerPair;
  let a: ServerProcess;
  let b: ServerProcess;
  let admin: string;

  beforeAll(async () => {
    pair = await startServerPair({ ...ADMIN_ENV });
    [a, b] = pair.servers;
    admin = (await gql(a, LOGIN, { input: { identifier: ADMIN_USERNAME, password: ADMIN_PASSWORD } })).data.login.accessToken;
  }, 120_000);
  afterAll(() => pair?.stop());

  async function gql(server: ServerProcess, query: string, variables: unknown = {}, token?: string) {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body;
  }

  const grant = async (server: ServerProcess, clientId: string, secret: string) =>
    (
      await fetch(`${server.url}/oidc/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` },
        body: "grant_type=client_credentials",
      })
    ).status;

  /** The status `server` answers once it settled, asking again for at most 2 s. */
  async function settlesTo(server: ServerProcess, clientId: string, secret: string, status: number): Promise<number> {
    const deadline = Date.now() + 2_000;
    let last = await grant(server, clientId, secret);
    while (last !== status && Date.now() < deadline) last = await grant(server, clientId, secret);
    return last;
  }

  async function machineClient() {
    const created = (await gql(a, CREATE, { input: { name: "Billing job", redirectUris: [], grantTypes: ["client_credentials"] } }, admin)).data.createOAuthClient;
    return { id: created.client.id as string, clientId: created.client.clientId as string, secret: created.clientSecret as string };
  }

  it("refuses a rotated secret at once on the process that rotated it, and soon on the other", async () => {
    const client = await machineClient();
    // Both processes now hold the client with its first secret.
    expect(await grant(a, client.clientId, client.secret)).toBe(200);
    expect(await grant(b, client.clientId, client.secret)).toBe(200);
    const fresh = (await gql(a, ROTATE, { id: client.id }, admin)).data.rotateOAuthClientSecret.clientSecret as string;
    expect(await grant(a, client.clientId, client.secret)).toBe(401);
    expect(await settlesTo(b, client.clientId, client.secret, 401)).toBe(401);
    for (let i = 0; i < 5; i++) expect(await grant(b, client.clientId, client.secret)).toBe(401);
    expect(await grant(b, client.clientId, fresh)).toBe(200);
    expect(await grant(a, client.clientId, fresh)).toBe(200);
  });

  it("refuses a deleted client on both processes", async () => {
    const client = await machineClient();
    expect(await grant(a, client.clientId, client.secret)).toBe(200);
    expect(await grant(b, client.clientId, client.secret)).toBe(200);
    expect((await gql(a, DELETE, { id: client.id }, admin)).data.deleteOAuthClient).toBe(true);
    expect(await grant(a, client.clientId, client.secret)).toBe(401);
    expect(await settlesTo(b, client.clientId, client.secret, 401)).toBe(401);
    for (let i = 0; i < 5; i++) expect(await grant(b, client.clientId, client.secret)).toBe(401);
  });
});
