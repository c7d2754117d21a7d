import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, isAccepted, registerUser } from "./support/accounts";

// Browser apps keep tokens in httpOnly cookies; a cookie must not let another site act.
describe.each(testDatabases)("cookie mode and CSRF on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const cookieLogin = async () => {
    const user = await registerUser(server);
    const { headers } = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    const cookies = headers.getSetCookie();
    const access = cookies.find((c) => c.startsWith("lk_access="))!.split(";")[0];
    // Cookie mode answers no tokens in the body: the access token is the cookie's value.
    return { user, access, accessToken: access.slice("lk_access=".length) };
  };

  it("serves `me` with the access cookie alone", async () => {
    const { user, access } = await cookieLogin();
    const { body } = await server.gql(ME, {}, { headers: { cookie: access } });
    expect(body.data?.me.id).toBe(user.id);
  });

  it("refuses a cross-site simple POST carrying the cookie, and does not run it", async () => {
    const { access, accessToken } = await cookieLogin();
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "text/plain", cookie: access, origin: "https://evil.example" },
      body: JSON.stringify({ query: "mutation { logout }" }),
    });
    expect(response.status).toBe(400);
    expect(await isAccepted(server, accessToken)).toBe(true);
    const form = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: access },
      body: "query=mutation%20%7B%20logout%20%7D",
    });
    expect(form.status).toBe(400);
    expect(await isAccepted(server, accessToken)).toBe(true);
  });

  it("clears both cookies on logout", async () => {
    const { access } = await cookieLogin();
    const { body, headers } = await server.gql("mutation { logout }", {}, { headers: { cookie: access } });
    expect(body).toEqual({ data: { logout: true } });
    const cleared = headers.getSetCookie();
    for (const name of ["lk_access", "lk_refresh"]) {
      const cookie = cleared.find((c) => c.startsWith(`${name}=`));
      expect(cookie).toMatch(/Expires=Thu, 01 Jan 1970/);
    }
    expect((await server.gql(ME, {}, { headers: { cookie: access } })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("prefers the Authorization header over the cookie", async () => {
    const first = await cookieLogin();
    const second = await cookieLogin();
    const { body } = await server.gql(ME, {}, { token: second.accessToken, headers: { cookie: first.access } });
    expect(body.data?.me.id).toBe(second.user.id);
  });
});
