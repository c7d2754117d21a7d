import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, registerVerifiedUser, uniqueName, verifyAddress } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { linkToken, type TestSmtpServer, useServerWithSmtp } from "./support/smtp";
import { deliverMail, mailsTo } from "./support/recovery";
import { MAGIC_LINK_SUBJECT, REQUEST_MAGIC_LINK, SIGN_IN_WITH_MAGIC_LINK, queuedMagicToken, setCookie } from "./support/magic-link";
import { VERIFY, nextTotpCode, userWithTwoFactor } from "./support/two-factor";

describe.each(testDatabases)("sign-in by e-mailed link on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started), {
    env: { ...ADMIN_ENV, APP_URL: "http://localhost:5173", CORS_ORIGINS: "http://localhost:5173" },
  });

  it("mails PUBLIC_URL/magic-link?token=… through SMTP, and the token signs in once", async () => {
    const user = await registerVerifiedUser(server);
    const { body } = await server.gql(REQUEST_MAGIC_LINK, { email: user.email.toUpperCase() });
    expect(body).toEqual({ data: { requestMagicLink: true } });
    await deliverMail(server);
    const mails = mailsTo(smtp, user.email, MAGIC_LINK_SUBJECT);
    expect(mails).toHaveLength(1);
    expect(mails[0].decoded).toContain("http://localhost:4000/magic-link?token=");
    const token = linkToken(mails[0], "/magic-link");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const signedIn = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
    expect(signedIn.body.errors).toBeUndefined();
    const payload = signedIn.body.data.signInWithMagicLink;
    expect(payload).toMatchObject({ __typename: "AuthPayload", user: { id: user.id, emailVerified: true } });
    const me = await server.gql(ME, {}, { token: payload.accessToken });
    expect(me.body.data.me.id).toBe(user.id);

    // Stored only as a hash, now used.
    const rows = await server.app.database.prisma.magicLink.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).not.toBe(token);
    expect(rows[0].usedAt).not.toBeNull();
    const event = await server.app.database.prisma.auditEvent.findFirst({ where: { userId: user.id, type: "LOGIN_SUCCEEDED" } });
    expect(event?.metadata).toMatchObject({ method: "MAGIC_LINK" });
  });

  it("verifies the address of an account without any way in yet (made by an ADMIN without a password)", async () => {
    const username = uniqueName("nopass");
    const email = `${username}@example.com`;
    const created = await server.gql(
      `mutation ($input: AdminCreateUserInput!) { createUser(input: $input) { id emailVerified } }`,
      { input: { username, email } },
      { token: await adminToken(server) },
    );
    expect(created.body.data.createUser.emailVerified).toBe(false);
    await server.gql(REQUEST_MAGIC_LINK, { email });
    const token = (await queuedMagicToken(server, email))!;
    expect(token).toBeDefined();
    const { body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
    expect(body.data.signInWithMagicLink.user).toMatchObject({ id: created.body.data.createUser.id, emailVerified: true });
    const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: created.body.data.createUser.id } });
    expect(row.emailVerified).toBe(true);
    expect(row.emailVerifiedAt).not.toBeNull();
  });

  it("sets the session cookies instead of returning tokens when asked (cookie: true)", async () => {
    const user = await registerVerifiedUser(server);
    await server.gql(REQUEST_MAGIC_LINK, { email: user.email });
    const token = (await queuedMagicToken(server, user.email))!;
    const { body, headers } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token, cookie: true, expiresInMinutes: 5 });
    expect(body.data.signInWithMagicLink.accessToken).toBeNull();
    const access = setCookie(headers, "lk_access");
    expect(access).toBeTruthy();
    const me = await server.gql(ME, {}, { headers: { cookie: `lk_access=${access}` } });
    expect(me.body.data.me.id).toBe(user.id);
  });

  it("still asks a two-factor account for its second factor", async () => {
    const user = await userWithTwoFactor(server);
    await verifyAddress(server, user.email);
    await server.gql(REQUEST_MAGIC_LINK, { email: user.email });
    const token = (await queuedMagicToken(server, user.email))!;
    const { body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
    const challenge = body.data.signInWithMagicLink;
    expect(challenge).toMatchObject({ __typename: "TwoFactorChallenge", methods: ["TOTP", "RECOVERY_CODE"] });
    expect(challenge.accessToken).toBeUndefined();

    // The link is spent by the first step: it cannot open a second challenge.
    const again = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
    expect(again.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });

    const verified = await server.gql(VERIFY, { input: { challengeToken: challenge.challengeToken, code: nextTotpCode(server, user.secret) } });
    expect(verified.body.errors).toBeUndefined();
    expect(verified.body.data.verifyTwoFactorLogin.user.id).toBe(user.id);
  });

  it("the /magic-link page does not spend the link on GET; its button signs in with cookies and goes to redirectUri", async () => {
    const user = await registerVerifiedUser(server);
    const redirectUri = "http://localhost:5173/welcome";
    await server.gql(REQUEST_MAGIC_LINK, { email: user.email, redirectUri });
    const token = (await queuedMagicToken(server, user.email))!;
    // The page's URL carries the token: the server's log must not.
    server.secrets.add("magic link token", token);
    const pageUrl = `${server.url}/magic-link?token=${token}`;

    // A mail scanner fetching the link twice spends nothing.
    await fetch(pageUrl);
    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    // The redirect after the post must pass form-action too.
    expect(page.headers.get("content-security-policy")).toMatch(/form-action 'self'[^;]* http:\/\/localhost:5173/);
    const html = await page.text();
    expect(html).not.toMatch(/<script/i);
    const row = await server.app.database.prisma.magicLink.findFirst({ where: { userId: user.id } });
    expect(row?.usedAt).toBeNull();

    const formCookie = `lk_magic_form=${setCookie(page.headers, "lk_magic_form")}`;
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    // Without the form's cookie (a cross-site post) nothing happens.
    const forged = await fetch(`${server.url}/magic-link`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, csrf }).toString(),
      redirect: "manual",
    });
    expect(forged.status).toBe(403);
    // Nor from another site, even with the cookie (Fetch Metadata or Origin say so).
    const crossSiteHeaders: Array<Record<string, string>> = [{ "sec-fetch-site": "cross-site" }, { origin: "https://evil.example" }];
    for (const headers of crossSiteHeaders) {
      const crossSite = await fetch(`${server.url}/magic-link`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: formCookie, ...headers },
        body: new URLSearchParams({ token, csrf }).toString(),
        redirect: "manual",
      });
      expect(crossSite.status).toBe(403);
    }

    const posted = await fetch(`${server.url}/magic-link`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: formCookie, origin: "http://localhost:4000" },
      body: new URLSearchParams({ token, csrf }).toString(),
      redirect: "manual",
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe(redirectUri);
    const access = setCookie(posted.headers, "lk_access");
    const me = await server.gql(ME, {}, { headers: { cookie: `lk_access=${access}` } });
    expect(me.body.data.me.id).toBe(user.id);
  });

  it("the page sends a two-factor account back to the app with its challenge in the fragment", async () => {
    const user = await userWithTwoFactor(server);
    await verifyAddress(server, user.email);
    await server.gql(REQUEST_MAGIC_LINK, { email: user.email });
    const token = (await queuedMagicToken(server, user.email))!;
    server.secrets.add("magic link token", token);
    const page = await fetch(`${server.url}/magic-link?token=${token}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1];
    const posted = await fetch(`${server.url}/magic-link`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `lk_magic_form=${setCookie(page.headers, "lk_magic_form")}` },
      body: new URLSearchParams({ token, csrf }).toString(),
      redirect: "manual",
    });
    expect(posted.status).toBe(303);
    expect(setCookie(posted.headers, "lk_access")).toBeUndefined();
    const location = posted.headers.get("location")!;
    expect(location).toMatch(/^http:\/\/localhost:5173#magicLinkChallenge=[A-Za-z0-9_-]+$/);
    const challengeToken = location.split("=")[1];
    server.secrets.add("challenge token", challengeToken);
    // The challenge keeps the page's cookie mode: the code step answers in cookies.
    const verified = await server.gql(VERIFY, { input: { challengeToken, code: nextTotpCode(server, user.secret) } });
    expect(verified.body.data.verifyTwoFactorLogin.user.id).toBe(user.id);
    expect(verified.body.data.verifyTwoFactorLogin.accessToken).toBeNull();
    expect(setCookie(verified.headers, "lk_access")).toBeTruthy();
  });

  it("refuses a redirectUri off the allowed origins", async () => {
    const user = await registerVerifiedUser(server);
    for (const redirectUri of ["https://evil.example/after", "javascript:alert(1)", "/relative"]) {
      const { body } = await server.gql(REQUEST_MAGIC_LINK, { email: user.email, redirectUri });
      expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "redirectUri" });
    }
    expect(await queuedMagicToken(server, user.email)).toBeUndefined();
  });
});
