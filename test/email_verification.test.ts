import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser, uniqueName } from "./support/accounts";
import { linkToken, type TestSmtpServer, useServerWithSmtp } from "./support/smtp";
import { REQUEST_VERIFICATION, VERIFY_EMAIL, VERIFY_SUBJECT, deliverMail, mailsTo } from "./support/recovery";

const EMAIL_VERIFIED = /* GraphQL */ `query { me { emailVerified } }`;

describe.each(testDatabases)("e-mail verification on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started));

  async function verificationTokens(email: string): Promise<string[]> {
    await deliverMail(server);
    return mailsTo(smtp, email, VERIFY_SUBJECT).map((mail) => linkToken(mail, "/verify-email"));
  }

  it("mails a link at sign-up; verifyEmail marks the address verified once", async () => {
    const user = await registerUser(server);
    const tokens = await verificationTokens(user.email);
    expect(tokens).toHaveLength(1);
    expect(mailsTo(smtp, user.email, VERIFY_SUBJECT)[0].decoded).toContain(`http://localhost:4000/verify-email?token=${tokens[0]}`);

    const { body } = await server.gql(VERIFY_EMAIL, { token: tokens[0] });
    // No token: nothing beyond the verification itself (account_details_exposed_to_others.test.ts).
    expect(body).toEqual({ data: { verifyEmail: { id: user.id, email: null, emailVerified: true } } });
    const session = await login(server, user.username);
    expect((await server.gql(EMAIL_VERIFIED, {}, { token: session.accessToken })).body.data.me.emailVerified).toBe(true);

    const again = await server.gql(VERIFY_EMAIL, { token: tokens[0] });
    expect(again.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    expect(again.body.errors?.[0].message).toMatch(/already been used/);
    const audit = await server.app.database.prisma.auditEvent.count({ where: { userId: user.id, type: "EMAIL_VERIFIED" } });
    expect(audit).toBe(1);
  });

  it("sends nothing at sign-up without an e-mail address", async () => {
    const user = await registerUser(server, { email: null });
    await deliverMail(server);
    expect(await server.app.database.prisma.oneTimeToken.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a link after 24 hours with a clear error", async () => {
    const user = await registerUser(server);
    const [token] = await verificationTokens(user.email);
    server.clock.advance(24 * 3_600_000 + 60_000);
    const { body } = await server.gql(VERIFY_EMAIL, { token });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    expect(body.errors?.[0].message).toMatch(/expired/);
    const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.emailVerified).toBe(false);
  });

  it("refuses an unknown token", async () => {
    const { body } = await server.gql(VERIFY_EMAIL, { token: "nonsense" });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    expect(body.errors?.[0].message).toMatch(/not valid/);
  });

  it("requestEmailVerification sends a new link that replaces the old one", async () => {
    const user = await registerUser(server);
    const [first] = await verificationTokens(user.email);
    const session = await login(server, user.username);
    const { body } = await server.gql(REQUEST_VERIFICATION, {}, { token: session.accessToken });
    expect(body).toEqual({ data: { requestEmailVerification: true } });
    const tokens = await verificationTokens(user.email);
    expect(tokens).toHaveLength(2);
    const second = tokens[1];
    expect(second).not.toBe(first);
    const stale = await server.gql(VERIFY_EMAIL, { token: first });
    expect(stale.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    const fresh = await server.gql(VERIFY_EMAIL, { token: second });
    expect(fresh.body.data?.verifyEmail.emailVerified).toBe(true);
  });

  it("requestEmailVerification needs a signed-in user with an unverified address", async () => {
    const anonymous = await server.gql(REQUEST_VERIFICATION);
    expect(anonymous.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");

    const noEmail = await registerUser(server, { email: null });
    const noEmailSession = await login(server, noEmail.username);
    const none = await server.gql(REQUEST_VERIFICATION, {}, { token: noEmailSession.accessToken });
    expect(none.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });

    const verified = await registerUser(server);
    const [token] = await verificationTokens(verified.email);
    await server.gql(VERIFY_EMAIL, { token });
    const verifiedSession = await login(server, verified.username);
    const done = await server.gql(REQUEST_VERIFICATION, {}, { token: verifiedSession.accessToken });
    expect(done.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
    expect(done.body.errors?.[0].message).toMatch(/already verified/);
  });

  it("a link for an old address does not verify the new one", async () => {
    const user = await registerUser(server);
    const [token] = await verificationTokens(user.email);
    const moved = `${uniqueName("moved")}@example.com`;
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { email: moved, emailNormalized: moved } });
    const { body } = await server.gql(VERIFY_EMAIL, { token });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.emailVerified).toBe(false);
  });
});

describe.each(testDatabases)("RESET_REQUIRES_VERIFIED_EMAIL (default true) on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started));

  it("mails reset links only to verified addresses", async () => {
    const user = await registerUser(server);
    const request = () => server.gql(`mutation ($email: String!) { requestPasswordReset(email: $email) }`, { email: user.email });
    expect((await request()).body).toEqual({ data: { requestPasswordReset: true } });
    await deliverMail(server);
    expect(mailsTo(smtp, user.email, "Reset your password")).toHaveLength(0);

    const [token] = mailsTo(smtp, user.email, VERIFY_SUBJECT).map((mail) => linkToken(mail, "/verify-email"));
    await server.gql(VERIFY_EMAIL, { token });
    expect((await request()).body).toEqual({ data: { requestPasswordReset: true } });
    await deliverMail(server);
    expect(mailsTo(smtp, user.email, "Reset your password")).toHaveLength(1);
  });
});
