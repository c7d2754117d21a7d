import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, jwtPayload, registerUser, registerVerifiedUser, verifyAddress } from "./support/accounts";
import { type TestSmtpServer, useServerWithSmtp } from "./support/smtp";
import { deliverMail, mailsTo } from "./support/recovery";
import { nextTotpCode, userWithTwoFactor, verify } from "./support/two-factor";
import { CODE_SUBJECT, codeFromOutbox, codeInMail, requestCode, signInWithCode } from "./support/email-code";

describe.each(testDatabases)("sign-in with an e-mailed code on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started), { env: { LOGIN_LOCKOUT_THRESHOLD: "1000" } });

  it("mails an 8-digit code (no link) to the verified address and signs in with it end to end", async () => {
    const user = await registerVerifiedUser(server);
    const before = server.clock.now().getTime();
    // Any spelling of the address finds the account.
    const challenge = await requestCode(server, `  ${user.email.toUpperCase()} `);
    expect(challenge.challengeToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge.codeLength).toBe(8);
    const lifetime = new Date(challenge.expiresAt).getTime() - before;
    expect(lifetime).toBeGreaterThan(9.5 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(10 * 60_000 + 5_000);

    await deliverMail(server);
    const mails = mailsTo(smtp, user.email, CODE_SUBJECT);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail.decoded).toMatch(/Content-Type: text\/plain/);
    expect(mail.decoded).toMatch(/Content-Type: text\/html/);
    expect(mail.decoded).toContain(user.username);
    expect(mail.decoded).toContain("10 minutes");
    expect(mail.decoded).not.toMatch(/https?:\/\/[^\s"]*token=/);
    expect(mail.decoded).not.toContain(challenge.challengeToken);
    const code = codeInMail(mail);
    expect(code).toMatch(/^\d{8}$/);

    // Spaces and hyphens in the typed code are ignored.
    const typed = `${code.slice(0, 4)} ${code.slice(4)}`;
    const { body } = await signInWithCode(server, challenge.challengeToken, typed, { expiresInMinutes: 7 });
    expect(body.errors).toBeUndefined();
    const payload = body.data.signInWithEmailCode;
    expect(payload.__typename).toBe("AuthPayload");
    expect(payload.user).toEqual({ id: user.id, username: user.username });
    expect(payload.session.current).toBe(true);
    const claims = jwtPayload(payload.accessToken);
    expect(claims.exp - claims.iat).toBe(7 * 60);
    expect((await server.gql(ME, {}, { token: payload.accessToken })).body.data.me.id).toBe(user.id);

    const prisma = server.app.database.prisma;
    const succeeded = await prisma.auditEvent.findFirstOrThrow({ where: { userId: user.id, type: "LOGIN_SUCCEEDED" }, orderBy: { createdAt: "desc" } });
    expect(succeeded.metadata).toMatchObject({ sessionId: payload.session.id, method: "EMAIL_CODE" });
    // Stored only as keyed hashes.
    const rows = await prisma.emailCodeChallenge.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].usedAt).not.toBeNull();
    expect(rows[0].failedAttempts).toBe(0);
    expect(JSON.stringify(rows[0])).not.toContain(code);
    expect(JSON.stringify(rows[0])).not.toContain(challenge.challengeToken);
  });

  it("sets the cookies in cookie mode and leaves the tokens out of the body", async () => {
    const user = await registerVerifiedUser(server);
    const challenge = await requestCode(server, user.email);
    const code = await codeFromOutbox(server, user.email);
    const response = await signInWithCode(server, challenge.challengeToken, code, { cookie: true });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.signInWithEmailCode).toMatchObject({ __typename: "AuthPayload", accessToken: null, refreshToken: null, user: { id: user.id } });
    const cookies = response.headers.getSetCookie().join("\n");
    expect(cookies).toMatch(/lk_access=/);
    expect(cookies).toMatch(/lk_refresh=/);
    expect(cookies).toMatch(/HttpOnly/i);
  });

  it("still asks for the second factor; the code alone gives no session", async () => {
    const user = await userWithTwoFactor(server);
    await verifyAddress(server, user.email);
    const prisma = server.app.database.prisma;
    const sessionsBefore = await prisma.session.count({ where: { userId: user.id } });
    const challenge = await requestCode(server, user.email);
    const code = await codeFromOutbox(server, user.email);
    const first = await signInWithCode(server, challenge.challengeToken, code, { cookie: true });
    expect(first.body.errors).toBeUndefined();
    const step = first.body.data.signInWithEmailCode;
    expect(step.__typename).toBe("TwoFactorChallenge");
    expect(step.methods).toEqual(["TOTP", "RECOVERY_CODE"]);
    expect(first.headers.getSetCookie().join("\n")).not.toMatch(/lk_access=/);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(sessionsBefore);

    // The e-mail code is spent: it cannot open a second challenge.
    const again = await signInWithCode(server, challenge.challengeToken, code);
    expect(again.body.errors?.[0]).toMatchObject({ message: "Invalid or expired code", extensions: { code: "UNAUTHENTICATED" } });

    const second = await verify(server, step.challengeToken, nextTotpCode(server, user.secret));
    expect(second.body.errors).toBeUndefined();
    // Cookie mode asked for with the code carries over to the second step.
    expect(second.headers.getSetCookie().join("\n")).toMatch(/lk_access=/);
    expect(await prisma.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(sessionsBefore + 1);
  });

  it("mails no code to an unverified address, whose holder cannot sign in with one", async () => {
    const user = await registerUser(server);
    const challenge = await requestCode(server, user.email);
    expect(challenge.codeLength).toBe(8);
    await deliverMail(server);
    expect(mailsTo(smtp, user.email, CODE_SUBJECT)).toHaveLength(0);
    const prisma = server.app.database.prisma;
    expect(await prisma.outboxMail.count({ where: { to: user.email, subject: CODE_SUBJECT } })).toBe(0);
    const row = await prisma.emailCodeChallenge.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(row.userId).toBeNull();
    const { body } = await signInWithCode(server, challenge.challengeToken, "12345678");
    expect(body.errors?.[0]).toMatchObject({ message: "Invalid or expired code", extensions: { code: "UNAUTHENTICATED", attemptsLeft: 4 } });
  });

  it("refuses a code once the account's address changed, and a disabled account only after the right code", async () => {
    const user = await registerVerifiedUser(server);
    const challenge = await requestCode(server, user.email);
    const code = await codeFromOutbox(server, user.email);
    const prisma = server.app.database.prisma;
    // The account's address is now another one (as after a confirmed e-mail change).
    const other = `moved-${user.email}`;
    await prisma.user.update({ where: { id: user.id }, data: { email: other, emailNormalized: other } });
    const moved = await signInWithCode(server, challenge.challengeToken, code);
    expect(moved.body.errors?.[0]).toMatchObject({ message: "Invalid or expired code", extensions: { code: "UNAUTHENTICATED", attemptsLeft: 0 } });

    const banned = await registerVerifiedUser(server);
    const bannedChallenge = await requestCode(server, banned.email);
    const bannedCode = await codeFromOutbox(server, banned.email);
    await prisma.user.update({ where: { id: banned.id }, data: { disabled: true } });
    const wrong = await signInWithCode(server, bannedChallenge.challengeToken, bannedCode === "00000000" ? "00000001" : "00000000");
    expect(wrong.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const right = await signInWithCode(server, bannedChallenge.challengeToken, bannedCode);
    expect(right.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DISABLED" });
    // A disabled account is sent no code at all.
    const seen = await prisma.outboxMail.count({ where: { to: banned.email } });
    await requestCode(server, banned.email);
    expect(await prisma.outboxMail.count({ where: { to: banned.email } })).toBe(seen);
  });

  it("checks the code's form before counting a try", async () => {
    const { challengeToken } = await requestCode(server, (await registerVerifiedUser(server)).email);
    for (const code of ["", "1234567", "123456789", "abcdefgh"]) {
      const { body } = await signInWithCode(server, challengeToken, code);
      expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "code" });
    }
    const row = await server.app.database.prisma.emailCodeChallenge.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(row.failedAttempts).toBe(0);
    const bad = await server.gql(`mutation { requestEmailCode(email: "") { challengeToken } }`);
    expect(bad.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
  });

  it("erases the account's challenges when the account is deleted; its code no longer signs in", async () => {
    const user = await registerVerifiedUser(server);
    const challenge = await requestCode(server, user.email);
    const code = await codeFromOutbox(server, user.email);
    const { accessToken } = (await server.gql(`mutation ($input: LoginInput!) { login(input: $input) { ... on AuthPayload { accessToken } } }`, {
      input: { identifier: user.username, password: user.password },
    })).body.data.login;
    const deleted = await server.gql(`mutation ($password: String!) { deleteAccount(password: $password) }`, { password: user.password }, { token: accessToken });
    expect(deleted.body).toEqual({ data: { deleteAccount: true } });
    const prisma = server.app.database.prisma;
    expect(await prisma.emailCodeChallenge.count({ where: { userId: user.id } })).toBe(0);
    const { body } = await signInWithCode(server, challenge.challengeToken, code);
    expect(body.errors?.[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", attemptsLeft: 0 });
  });
});
