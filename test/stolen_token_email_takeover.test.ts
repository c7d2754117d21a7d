import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, login, registerUser, uniqueName } from "./support/accounts";
import { REQUEST_RESET, RESET_SUBJECT } from "./support/recovery";

// A thief with an access token must not be able to move the account's address to a mailbox
// they read (and then reset the password there): the new address needs its own proof, and
// the current one is told at once.

const UPDATE_EMAIL = /* GraphQL */ `
  mutation ($email: String) { updateProfile(input: { email: $email }) { id email emailVerified pendingEmail } }
`;
const CONFIRM = /* GraphQL */ `mutation ($token: String!) { confirmEmailChange(token: $token) { id email emailVerified pendingEmail } }`;
const CONFIRM_SUBJECT = "Confirm your new e-mail address";
const NOTICE_SUBJECT = "Your e-mail address is being changed";

describe.each(testDatabases)("e-mail change on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, {
      env: { MAIL_POLL_INTERVAL: "1h", RATE_LIMIT_EMAIL_CHANGE: "3/1h", RATE_LIMIT_EMAIL_CHANGE_RECIPIENT: "2/1h" },
    });
  });
  afterAll(() => server.stop());

  const prisma = () => server.app.database.prisma;
  const outbox = (to: string, subject: string) => prisma().outboxMail.findMany({ where: { to, subject }, orderBy: { createdAt: "asc" } });
  const tokenIn = (text: string) => /\/confirm-email\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];

  async function verifiedUser(options: { email?: string | null } = {}) {
    const user = await registerUser(server, options.email === undefined ? {} : { email: options.email });
    if (user.email) await prisma().user.update({ where: { id: user.id }, data: { emailVerified: true } });
    const { accessToken } = await login(server, user.username);
    return { ...user, token: accessToken };
  }

  async function changeEmail(token: string, email: string | null) {
    return server.gql(UPDATE_EMAIL, { email }, { token });
  }

  async function confirmationToken(address: string): Promise<string> {
    const mails = await outbox(address, CONFIRM_SUBJECT);
    const token = tokenIn(mails[mails.length - 1]?.text ?? "");
    if (!token) throw new Error(`no confirmation link to ${address}`);
    return token;
  }

  async function signInFails(identifier: string, password: string) {
    const { body } = await server.gql(LOGIN, { input: { identifier, password } });
    return body.errors?.[0]?.extensions?.code === "UNAUTHENTICATED";
  }

  it("keeps the old address until the new one is confirmed, tells the old one, and confirms once", async () => {
    const user = await verifiedUser();
    const next = `${uniqueName("moved")}@example.org`;

    const { body } = await changeEmail(user.token, next);
    expect(body.data.updateProfile).toEqual({ id: user.id, email: user.email, emailVerified: true, pendingEmail: next });

    // The link goes to the new address; the current address gets a notice without it.
    const token = await confirmationToken(next);
    expect((await outbox(next, CONFIRM_SUBJECT))[0].text).toContain(`http://localhost:4000/confirm-email?token=${token}`);
    const notices = await outbox(user.email, NOTICE_SUBJECT);
    expect(notices).toHaveLength(1);
    expect(notices[0].text).toContain(`${next[0]}***@example.org`);
    for (const part of [notices[0].text, notices[0].html ?? ""]) {
      expect(part).not.toContain(token);
      expect(part).not.toContain("token=");
      expect(part).not.toContain("http");
    }

    // Until confirmation, sign-in and reset use the old address.
    expect(await signInFails(next, user.password)).toBe(true);
    expect((await login(server, user.email, user.password)).user.id).toBe(user.id);
    await server.gql(REQUEST_RESET, { email: next });
    await server.gql(REQUEST_RESET, { email: user.email });
    expect(await outbox(next, RESET_SUBJECT)).toHaveLength(0);
    expect(await outbox(user.email, RESET_SUBJECT)).toHaveLength(1);

    // The link alone proves only that the mail was seen: a caller not signed in as the account
    // learns nothing beyond the change itself.
    const confirmed = await server.gql(CONFIRM.replace("email emailVerified pendingEmail", "emailVerified"), { token });
    expect(confirmed.body.data.confirmEmailChange).toEqual({ id: user.id, emailVerified: true });
    const me = await server.gql(`{ me { email emailVerified pendingEmail } }`, {}, { token: user.token });
    expect(me.body.data.me).toEqual({ email: next, emailVerified: true, pendingEmail: null });
    expect((await login(server, next, user.password)).user.id).toBe(user.id);
    expect(await signInFails(user.email, user.password)).toBe(true);

    const again = await server.gql(CONFIRM, { token });
    expect(again.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    expect(again.body.errors?.[0].message).toMatch(/already been used/);

    const events = await prisma().auditEvent.findMany({ where: { userId: user.id, type: { in: ["EMAIL_CHANGE_REQUESTED", "EMAIL_CHANGED"] } } });
    expect(events.map((event) => event.type).sort()).toEqual(["EMAIL_CHANGED", "EMAIL_CHANGE_REQUESTED"]);
    expect(JSON.stringify(events)).not.toContain(next);
  });

  it("refuses an expired link and a link superseded by a newer request", async () => {
    const user = await verifiedUser();
    const first = `${uniqueName("first")}@example.org`;
    await changeEmail(user.token, first);
    const stale = await confirmationToken(first);
    const second = `${uniqueName("second")}@example.org`;
    await changeEmail(user.token, second);
    const superseded = await server.gql(CONFIRM, { token: stale });
    expect(superseded.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });

    const token = await confirmationToken(second);
    server.clock.advance(24 * 3_600_000 + 60_000);
    const expired = await server.gql(CONFIRM, { token });
    expect(expired.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    expect(expired.body.errors?.[0].message).toMatch(/expired/);
    const row = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ email: user.email, emailVerified: true, pendingEmail: second });
  });

  it("answers CONFLICT when another account proved the address before the link was followed", async () => {
    const user = await verifiedUser();
    const contested = `${uniqueName("contested")}@example.org`;
    await changeEmail(user.token, contested);
    const token = await confirmationToken(contested);
    const rival = await registerUser(server, { email: contested });
    await prisma().user.update({ where: { id: rival.id }, data: { emailVerified: true } });

    const { body } = await server.gql(CONFIRM, { token });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "email" });
    expect(await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ email: user.email });
  });

  it("sends an account without an address through confirmation too, and a verified address cannot be removed", async () => {
    const user = await verifiedUser({ email: null });
    const first = `${uniqueName("first")}@example.org`;
    const { body } = await changeEmail(user.token, first);
    expect(body.data.updateProfile).toMatchObject({ email: null, pendingEmail: first });
    const confirmed = await server.gql(CONFIRM, { token: await confirmationToken(first) }, { token: user.token });
    expect(confirmed.body.data.confirmEmailChange).toMatchObject({ email: first, emailVerified: true });

    const removed = await changeEmail(user.token, null);
    expect(removed.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
    expect(await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ email: first });
  });

  it("limits e-mail changes per account (RATE_LIMITED) and holds back mail beyond the per-recipient cap", async () => {
    const user = await verifiedUser();
    for (let i = 0; i < 3; i++) {
      const { body } = await changeEmail(user.token, `${uniqueName(`flood${i}`)}@example.org`);
      expect(body.errors).toBeUndefined();
    }
    const over = `${uniqueName("over")}@example.org`;
    const limited = await changeEmail(user.token, over);
    expect(limited.body.errors?.[0].extensions).toMatchObject({ code: "RATE_LIMITED" });
    expect(limited.body.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await outbox(over, CONFIRM_SUBJECT)).toHaveLength(0);
    expect((await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).pendingEmail).not.toBe(over);
    expect(await outbox(user.email, NOTICE_SUBJECT)).toHaveLength(3);
    server.clock.advance(3_600_000 + 1_000);
    const later = await login(server, user.username);
    expect((await changeEmail(later.accessToken, over)).body.errors).toBeUndefined();

    // One recipient, many accounts: the third request stands but mails nothing.
    const target = `${uniqueName("victim")}@example.org`;
    const accounts = await Promise.all([verifiedUser(), verifiedUser(), verifiedUser()]);
    for (const account of accounts) {
      const { body } = await changeEmail(account.token, target);
      expect(body.data.updateProfile.pendingEmail).toBe(target);
    }
    expect(await outbox(target, CONFIRM_SUBJECT)).toHaveLength(2);
    server.clock.advance(3_600_000 + 1_000);
    await changeEmail((await login(server, accounts[2].username)).accessToken, target);
    expect(await outbox(target, CONFIRM_SUBJECT)).toHaveLength(3);
  });
});
