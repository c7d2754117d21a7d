import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, login, registerUser } from "./support/accounts";

const VIEWER = /* GraphQL */ `query { viewer { id username email role } }`;
// viewer's null answer to a request that carried a token or the refresh cookie.
const STALE = { data: { viewer: null }, extensions: { session: "EXPIRED" } };

// A page asks "who is signed in" on every load: signed out is an answer (null), not an error,
// while `me` keeps answering UNAUTHENTICATED for the same requests.
describe.each(testDatabases)("viewer, signed in and signed out, on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("is null without a token, with no error, while me is UNAUTHENTICATED", async () => {
    const { status, body } = await server.gql(VIEWER);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { viewer: null } });
    const me = await server.gql(ME);
    expect(me.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("is the signed-in user, with the fields me shows", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const { body } = await server.gql(VIEWER, {}, { token: accessToken });
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer).toEqual({ id: user.id, username: user.username, email: user.email, role: "USER" });
    expect((await server.gql(ME, {}, { token: accessToken })).body.data.me).toEqual(body.data.viewer);
  });

  it("is the user signed in by cookie", async () => {
    const user = await registerUser(server);
    const { headers } = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    const access = headers.getSetCookie().find((cookie) => cookie.startsWith("lk_access="))!.split(";")[0];
    const { body } = await server.gql(VIEWER, {}, { headers: { cookie: access } });
    expect(body).toEqual({ data: { viewer: { id: user.id, username: user.username, email: user.email, role: "USER" } } });
  });

  it("is null after logout with the token that logged out, and me refuses it", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    expect((await server.gql(VIEWER, {}, { token: accessToken })).body.data.viewer.id).toBe(user.id);
    expect((await server.gql("mutation { logout }", {}, { token: accessToken })).body).toEqual({ data: { logout: true } });
    // A token was sent: the answer says a refresh may help (it will not here: the session ended).
    expect((await server.gql(VIEWER, {}, { token: accessToken })).body).toEqual(STALE);
    expect((await server.gql(ME, {}, { token: accessToken })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("is null with the refresh cookie alone (the access cookie expired in the browser), saying a refresh may help", async () => {
    const user = await registerUser(server);
    const { headers } = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    const refresh = headers.getSetCookie().find((cookie) => cookie.startsWith("lk_refresh="))!.split(";")[0];
    expect((await server.gql(VIEWER, {}, { headers: { cookie: refresh } })).body).toEqual(STALE);
    // Other answers carry no hint: it is viewer's alone.
    expect((await server.gql("query { __typename }", {}, { headers: { cookie: refresh } })).body).toEqual({ data: { __typename: "Query" } });
  });

  it("is null for a token that is not valid, and me still refuses it", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const [header, payload] = accessToken.split(".");
    for (const token of ["not-a-token", `${header}.${payload}.AAAA`]) {
      expect((await server.gql(VIEWER, {}, { token })).body).toEqual(STALE);
      expect((await server.gql(ME, {}, { token })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  // Last: it moves this server's clock.
  it("is null once the access token has expired", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username, undefined, { expiresInMinutes: 1 });
    expect((await server.gql(VIEWER, {}, { token: accessToken })).body.data.viewer.id).toBe(user.id);
    server.clock.advance(2 * 60_000);
    expect((await server.gql(VIEWER, {}, { token: accessToken })).body).toEqual(STALE);
    expect((await server.gql(ME, {}, { token: accessToken })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});
