import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerVerifiedUser } from "./support/accounts";
import { REQUEST_MAGIC_LINK, SIGN_IN_WITH_MAGIC_LINK, queuedMagicToken, requestFromBrowser, requestUnbound, setCookie } from "./support/magic-link";

describe.each(testDatabases)("a link asked for from a browser, forwarded, on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  it("sets an HttpOnly, SameSite=Lax, path-limited binding cookie", async () => {
    const user = await registerVerifiedUser(server);
    const { headers } = await server.gql(REQUEST_MAGIC_LINK, { email: user.email }, { headers: { origin: "http://localhost:4000" } });
    const lines = headers.getSetCookie().filter((line) => line.startsWith("lk_magic="));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/HttpOnly/i);
      expect(line).toMatch(/SameSite=Lax/i);
      expect(line).toMatch(/Path=\/(graphql|magic-link)/);
    }
  });

  it("does not sign in without the cookie or with another browser's, is not spent, and works in the browser that asked", async () => {
    const user = await registerVerifiedUser(server);
    const other = await registerVerifiedUser(server);
    const cookie = await requestFromBrowser(server, user.email);
    const token = (await queuedMagicToken(server, user.email))!;
    const otherCookie = await requestFromBrowser(server, other.email);
    expect(otherCookie).not.toBe(cookie);

    const attempts: Array<Record<string, string>> = [{}, { cookie: otherCookie }, { cookie: "lk_magic=" + "A".repeat(43) }];
    for (const headers of attempts) {
      const refused = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token }, { headers });
      expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "MAGIC_LINK_OTHER_BROWSER" });
      expect(refused.body.errors?.[0].message).toMatch(/browser that asked/);
      expect(refused.body.errors?.[0].message).toMatch(/e-mail code/);
      expect(refused.body.data).toBeNull();
    }
    const row = await server.app.database.prisma.magicLink.findFirst({ where: { userId: user.id } });
    expect(row?.usedAt).toBeNull();
    const failures = await server.app.database.prisma.auditEvent.count({ where: { userId: user.id, type: "LOGIN_FAILED" } });
    expect(failures).toBe(3);

    const accepted = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token }, { headers: { cookie } });
    expect(accepted.body.data.signInWithMagicLink.user.id).toBe(user.id);
  });

  it("the /magic-link page refuses it too in another browser", async () => {
    const user = await registerVerifiedUser(server);
    await requestFromBrowser(server, user.email);
    const token = (await queuedMagicToken(server, user.email))!;
    const page = await fetch(`${server.url}/magic-link?token=${token}`);
    const html = await page.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    const formCookie = `lk_magic_form=${setCookie(page.headers, "lk_magic_form")}`;
    const posted = await fetch(`${server.url}/magic-link`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: formCookie },
      body: new URLSearchParams({ token, csrf }).toString(),
      redirect: "manual",
    });
    expect(posted.status).toBe(403);
    expect(await posted.text()).toMatch(/browser that asked/);
    expect(setCookie(posted.headers, "lk_access")).toBeUndefined();
  });

  it("a request from no browser (no Origin) is not bound: the link works anywhere", async () => {
    const user = await registerVerifiedUser(server);
    const { headers } = await server.gql(REQUEST_MAGIC_LINK, { email: user.email });
    expect(setCookie(headers, "lk_magic")).toBeUndefined();
    await requestUnbound(server, user.email);
    const token = (await queuedMagicToken(server, user.email))!;
    const accepted = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
    expect(accepted.body.data.signInWithMagicLink.user.id).toBe(user.id);
  });

  it("an Origin the CORS rules do not allow binds nothing", async () => {
    const user = await registerVerifiedUser(server);
    const { headers } = await server.gql(REQUEST_MAGIC_LINK, { email: user.email }, { headers: { origin: "https://evil.example" } });
    expect(setCookie(headers, "lk_magic")).toBeUndefined();
  });
});
