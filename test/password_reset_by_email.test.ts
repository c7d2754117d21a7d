import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, login, registerUser, uniqueName } from "./support/accounts";
import { linkToken, type TestSmtpServer, useServerWithSmtp } from "./support/smtp";
import { sha256 } from "../src/common/tokens";
import { NEW_PASSWORD, REQUEST_RESET, RESET_PASSWORD, RESET_SUBJECT, deliverMail, mailsTo } from "./support/recovery";

describe.each(testDatabases)("password reset by e-mail on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  // The link's mechanics, on addresses one account alone claims; resets to verified addresses
  // only (the default) are in email_verification and pre_account_takeover.
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started), { env: { RESET_REQUIRES_VERIFIED_EMAIL: "false" } });

  async function resetLinkFor(email: string): Promise<string> {
    const seen = mailsTo(smtp, email, RESET_SUBJECT).length;
    const { body } = await server.gql(REQUEST_RESET, { email });
    expect(body).toEqual({ data: { requestPasswordReset: true } });
    await deliverMail(server);
    const mails = mailsTo(smtp, email, RESET_SUBJECT);
    expect(mails).toHaveLength(seen + 1);
    return linkToken(mails[seen], "/reset-password");
  }

  it("mails one single-use link; the reset ends every session and the old password", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);

    // Any spelling of the address finds the account.
    const { body } = await server.gql(REQUEST_RESET, { email: user.email.toUpperCase() });
    expect(body).toEqual({ data: { requestPasswordReset: true } });
    await deliverMail(server);
    const mails = mailsTo(smtp, user.email, RESET_SUBJECT);
    expect(mails).toHaveLength(1);
    expect(mails[0].decoded).toContain("http://localhost:4000/reset-password?token=");
    expect(mails[0].decoded).toMatch(/Content-Type: text\/plain/);
    expect(mails[0].decoded).toMatch(/Content-Type: text\/html/);
    const token = linkToken(mails[0], "/reset-password");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const first = await server.gql(RESET_PASSWORD, { input: { token, newPassword: NEW_PASSWORD } });
    expect(first.body).toEqual({ data: { resetPassword: true } });

    const second = await server.gql(RESET_PASSWORD, { input: { token, newPassword: "another-fresh-password-31" } });
    expect(second.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    expect(second.body.errors?.[0].message).toMatch(/already been used/);

    const me = await server.gql(ME, {}, { token: session.accessToken });
    expect(me.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const oldPassword = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
    expect(oldPassword.body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
    const fresh = await login(server, user.username, NEW_PASSWORD);
    expect(fresh.user.id).toBe(user.id);

    // Still exactly one reset mail; the token is stored only as its hash, now used.
    await deliverMail(server);
    expect(mailsTo(smtp, user.email, RESET_SUBJECT)).toHaveLength(1);
    const prisma = server.app.database.prisma;
    const rows = await prisma.oneTimeToken.findMany({ where: { userId: user.id, purpose: "PASSWORD_RESET" } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(sha256(token));
    expect(rows[0].usedAt).not.toBeNull();
    const sessions = await prisma.session.findMany({ where: { userId: user.id } });
    expect(sessions.filter((s) => s.revokedAt === null)).toHaveLength(1); // only the fresh login
    expect(sessions.find((s) => s.id === session.session.id)?.revokedReason).toBe("PASSWORD_RESET");
    const audit = await prisma.auditEvent.findMany({ where: { userId: user.id, type: "PASSWORD_RESET" } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].metadata)).not.toContain(token);
  });

  it("answers true for an unknown address and sends nothing", async () => {
    const email = `${uniqueName("nobody")}@example.com`;
    const { body } = await server.gql(REQUEST_RESET, { email });
    expect(body).toEqual({ data: { requestPasswordReset: true } });
    await deliverMail(server);
    expect(smtp.to(email)).toHaveLength(0);
    expect(await server.app.database.prisma.outboxMail.count({ where: { to: email } })).toBe(0);
  });

  it("answers true and sends nothing for a deleted account or an account without e-mail", async () => {
    const deleted = await registerUser(server);
    await server.app.database.prisma.user.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    const { body } = await server.gql(REQUEST_RESET, { email: deleted.email });
    expect(body).toEqual({ data: { requestPasswordReset: true } });
    const malformed = await server.gql(REQUEST_RESET, { email: "not an address" });
    expect(malformed.body).toEqual({ data: { requestPasswordReset: true } });
    await deliverMail(server);
    expect(mailsTo(smtp, deleted.email, RESET_SUBJECT)).toHaveLength(0);
  });

  it("with two accounts claiming one unverified address, mails neither; a link followed proves the mailbox", async () => {
    const email = `${uniqueName("claimed")}@example.com`;
    const first = await registerUser(server, { email });
    const second = await registerUser(server, { email: email.toUpperCase() });
    const { body } = await server.gql(REQUEST_RESET, { email });
    expect(body).toEqual({ data: { requestPasswordReset: true } });
    await deliverMail(server);
    expect(mailsTo(smtp, email, RESET_SUBJECT)).toHaveLength(0);

    // One claim left: its owner gets the link, and following it verifies the address.
    await server.app.database.prisma.user.update({ where: { id: second.id }, data: { email: null, emailNormalized: null } });
    const token = await resetLinkFor(email);
    expect((await server.gql(RESET_PASSWORD, { input: { token, newPassword: NEW_PASSWORD } })).body).toEqual({ data: { resetPassword: true } });
    const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.emailVerified).toBe(true);
    expect(row.emailVerifiedAt).not.toBeNull();
  });

  it("a new request makes the previous link stop working", async () => {
    const user = await registerUser(server);
    const older = await resetLinkFor(user.email);
    const newer = await resetLinkFor(user.email);
    const stale = await server.gql(RESET_PASSWORD, { input: { token: older, newPassword: NEW_PASSWORD } });
    expect(stale.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    const current = await server.gql(RESET_PASSWORD, { input: { token: newer, newPassword: NEW_PASSWORD } });
    expect(current.body).toEqual({ data: { resetPassword: true } });
  });

  it("refuses a link older than 30 minutes with a clear error", async () => {
    const user = await registerUser(server);
    const token = await resetLinkFor(user.email);
    server.clock.advance(31 * 60_000);
    const { body } = await server.gql(RESET_PASSWORD, { input: { token, newPassword: NEW_PASSWORD } });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    expect(body.errors?.[0].message).toMatch(/expired/);
    await login(server, user.username, user.password);
  });

  it("refuses an unknown token as BAD_USER_INPUT on field token", async () => {
    const { body } = await server.gql(RESET_PASSWORD, { input: { token: "A".repeat(43), newPassword: NEW_PASSWORD } });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    expect(body.errors?.[0].message).toMatch(/not valid/);
  });

  it("applies the password policy and history; a refused password leaves the link usable", async () => {
    const user = await registerUser(server);
    const token = await resetLinkFor(user.email);
    const reused = await server.gql(RESET_PASSWORD, { input: { token, newPassword: user.password } });
    expect(reused.body.errors?.[0].extensions).toMatchObject({ code: "PASSWORD_POLICY", reasons: ["REUSED"] });
    const short = await server.gql(RESET_PASSWORD, { input: { token, newPassword: "short" } });
    expect(short.body.errors?.[0].extensions?.code).toBe("PASSWORD_POLICY");
    const ok = await server.gql(RESET_PASSWORD, { input: { token, newPassword: NEW_PASSWORD } });
    expect(ok.body).toEqual({ data: { resetPassword: true } });
  });

  it("lets exactly one of two simultaneous uses of a link win", async () => {
    const user = await registerUser(server);
    const token = await resetLinkFor(user.email);
    const results = await Promise.all(
      ["first-racer-password-77", "second-racer-password-77"].map((newPassword) =>
        server.gql(RESET_PASSWORD, { input: { token, newPassword } }),
      ),
    );
    const wins = results.filter((r) => r.body.data?.resetPassword === true);
    const losses = results.filter((r) => r.body.errors?.[0].extensions?.field === "token");
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(1);
    const current = await server.app.database.prisma.credential.count({ where: { userId: user.id, kind: "PASSWORD", isCurrent: true } });
    expect(current).toBe(1);
  });

  it("a link sent to an address the account no longer has does not work", async () => {
    const user = await registerUser(server);
    const token = await resetLinkFor(user.email);
    const other = `${uniqueName("moved")}@example.com`;
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { email: other, emailNormalized: other } });
    const { body } = await server.gql(RESET_PASSWORD, { input: { token, newPassword: NEW_PASSWORD } });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
  });
});
