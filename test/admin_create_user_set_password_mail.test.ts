import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, login, registerUser, uniqueName } from "./support/accounts";
import { linkToken, type TestSmtpServer, useServerWithSmtp } from "./support/smtp";
import { NEW_PASSWORD, RESET_PASSWORD, RESET_SUBJECT, deliverMail, mailsTo } from "./support/recovery";
import { ADMIN_ENV, adminToken } from "./support/admin";

const CREATE_USER = /* GraphQL */ `
  mutation ($input: AdminCreateUserInput!) { createUser(input: $input) { id username email emailVerified role } }
`;
const SEND_RESET = /* GraphQL */ `mutation ($userId: ID!) { sendPasswordReset(userId: $userId) }`;
const HOUR = 3_600_000;

// An account an ADMIN creates without a password gets its first password through the reset
// link mailed to its address; following the link is also what verifies the address.
describe.each(testDatabases)("accounts created without a password on %s", (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  // Reset links to unverified addresses stay off (the default): the ADMIN's links go out anyway.
  useServerWithSmtp(kind, (started) => ({ smtp, server } = started), { env: ADMIN_ENV });

  it("mails a set-password link that sets the first password, verifies the address, and lets the user sign in", async () => {
    const admin = await adminToken(server);
    const username = uniqueName("invited");
    const email = `${username}@example.com`;
    const { body } = await server.gql(CREATE_USER, { input: { username, email } }, { token: admin });
    expect(body.errors).toBeUndefined();
    expect(body.data.createUser).toMatchObject({ username, email, emailVerified: false, role: "USER" });
    const userId = body.data.createUser.id;

    // No password yet: nothing signs in.
    const before = await server.gql(LOGIN, { input: { identifier: username, password: NEW_PASSWORD } });
    expect(before.body.errors![0]).toMatchObject({ message: "Invalid credentials" });
    expect(await server.app.database.prisma.credential.count({ where: { userId } })).toBe(0);

    await deliverMail(server);
    const mails = mailsTo(smtp, email, RESET_SUBJECT);
    expect(mails).toHaveLength(1);
    expect(mails[0].decoded).toContain("http://localhost:4000/reset-password?token=");
    const token = linkToken(mails[0], "/reset-password");

    // Valid longer than a reset link (30 minutes): the owner sets it at their pace.
    server.clock.advance(2 * HOUR);
    const set = await server.gql(RESET_PASSWORD, { input: { token, newPassword: NEW_PASSWORD } });
    expect(set.body).toEqual({ data: { resetPassword: true } });
    const signedIn = await login(server, email, NEW_PASSWORD);
    expect(signedIn.user.id).toBe(userId);
    expect(await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({ emailVerified: true });
  });

  it("mails a reset link on sendPasswordReset to an unverified address, which the link then proves", async () => {
    const admin = await adminToken(server);
    const user = await registerUser(server);
    const seen = mailsTo(smtp, user.email, RESET_SUBJECT).length;
    const { body } = await server.gql(SEND_RESET, { userId: user.id }, { token: admin });
    expect(body).toEqual({ data: { sendPasswordReset: true } });
    await deliverMail(server);
    const mails = mailsTo(smtp, user.email, RESET_SUBJECT);
    expect(mails).toHaveLength(seen + 1);
    const reset = await server.gql(RESET_PASSWORD, { input: { token: linkToken(mails[seen], "/reset-password"), newPassword: NEW_PASSWORD } });
    expect(reset.body).toEqual({ data: { resetPassword: true } });
    expect((await login(server, user.username, NEW_PASSWORD)).user.id).toBe(user.id);
    expect(await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ emailVerified: true });
  });
});
