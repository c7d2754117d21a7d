import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, isAccepted, login, uniqueName } from "./support/accounts";
import { NEW_PASSWORD, PASSKEY_RESET, REQUEST_RESET, RESET_PASSWORD, VERIFY_EMAIL } from "./support/recovery";
import { BEGIN_REGISTRATION, addPasskey } from "./support/passkeys";
import type { TestOidcProvider } from "./support/oidc-test-provider";
import { LINK_OAUTH, authorizeAt, signInOk, signInWith, useServerWithOidcProvider } from "./support/oauth";
import { BEGIN_TOTP, CONFIRM as CONFIRM_TWO_FACTOR, nextTotpCode } from "./support/two-factor";

/**
 * Pre-account takeover: an attacker signs up first with the victim's address (which they cannot
 * prove) and keeps a way in after the victim takes the account over by the mailbox. Each variant
 * must fail at the step the contract names.
 */
describe.each(testDatabases)("pre-account takeover on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
  useServerWithOidcProvider(kind, (started) => ({ op, server } = started));
  const prisma = () => server.app.database.prisma;

  /** The newest link of a kind mailed to `email` for `username` (mail stays in the outbox without SMTP). */
  async function mailedLink(email: string, path: string, username?: string): Promise<{ token: string; text: string }> {
    const mails = await prisma().outboxMail.findMany({ where: { to: email }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    for (const mail of mails) {
      if (username && !mail.text.includes(`Hello ${username},`)) continue;
      const match = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
      if (match) return { token: match[1], text: mail.text };
    }
    throw new Error(`no ${path} link mailed to ${email}`);
  }

  async function register(email: string | null, password = STRONG_PASSWORD) {
    const username = uniqueName("acct");
    const { body } = await server.gql(REGISTER, { input: { username, password, secretPasskey: SECRET_PASSKEY, email } });
    if (body.errors) throw new Error(`register failed: ${JSON.stringify(body.errors)}`);
    return { id: body.data.register.userId as string, username, email, password };
  }

  /** The mailbox owner follows the verification link mailed for `username`. */
  async function clickVerification(email: string, username: string) {
    const { token } = await mailedLink(email, "/verify-email", username);
    const { body } = await server.gql(VERIFY_EMAIL, { token });
    expect(body.data?.verifyEmail.emailVerified).toBe(true);
  }

  /** The mailbox owner asks for a reset link and sets NEW_PASSWORD with it; returns the mail's text. */
  async function resetByMail(email: string): Promise<string> {
    expect((await server.gql(REQUEST_RESET, { email })).body).toEqual({ data: { requestPasswordReset: true } });
    const { token, text } = await mailedLink(email, "/reset-password");
    const { body } = await server.gql(RESET_PASSWORD, { input: { token, newPassword: NEW_PASSWORD } });
    expect(body).toEqual({ data: { resetPassword: true } });
    return text;
  }

  const victimAddress = () => `${uniqueName("victim")}@example.org`;
  const userRow = (id: string) => prisma().user.findUniqueOrThrow({ where: { id } });

  it("(a) a passkey cannot be added while the address is unproven", async () => {
    const email = victimAddress();
    const attacker = await register(email);
    const session = await login(server, attacker.username);
    const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: session.accessToken });
    expect(begun.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "EMAIL_NOT_VERIFIED" });
    expect(await prisma().passkeyChallenge.count({ where: { userId: attacker.id } })).toBe(0);

    // The victim signs up with their own address anyway and proves it: the attacker's claim ends.
    const victim = await register(email);
    await clickVerification(email, victim.username);
    expect(await userRow(attacker.id)).toMatchObject({ email: null, emailNormalized: null, emailVerified: false });
    expect(await prisma().webAuthnCredential.count({ where: { userId: { in: [attacker.id, victim.id] } } })).toBe(0);
  });

  it("(b) the secret passkey chosen at sign-up dies with a reset by e-mail", async () => {
    const email = victimAddress();
    const attacker = await register(email);
    // The victim follows the unsolicited confirmation mail, then resets "their" password.
    await clickVerification(email, attacker.username);
    const mail = await resetByMail(email);
    expect(mail).toContain("secret passkey");
    expect(mail).toContain("set it again");

    const { body } = await server.gql(PASSKEY_RESET, {
      input: { username: attacker.username, secretPasskey: SECRET_PASSKEY, newPassword: "attacker-chosen-password-9" },
    });
    expect(body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
    expect((await login(server, email, NEW_PASSWORD)).user.id).toBe(attacker.id);
    expect(await prisma().credential.count({ where: { userId: attacker.id, kind: "SECRET_PASSKEY", isCurrent: true } })).toBe(0);
  });

  it("(c) a provider identity with an unverified address neither blocks the owner's sign-up nor keeps the address", async () => {
    const email = victimAddress();
    const identity = op.addAccount({ sub: uniqueName("sub"), email, email_verified: false });
    const attacker = await signInOk(server, op, identity.sub);
    expect(attacker.user).toMatchObject({ email, emailVerified: false });

    const victim = await register(email);
    await clickVerification(email, victim.username);
    expect(await userRow(attacker.user.id)).toMatchObject({ email: null, emailVerified: false });
    const removed = await prisma().auditEvent.findFirst({ where: { userId: attacker.user.id, type: "EMAIL_CLAIM_REMOVED" } });
    expect(removed).toMatchObject({ ip: null, userAgent: null, actorId: null });

    // The attacker's provider identity still signs in only to the attacker's own account.
    expect((await signInOk(server, op, identity.sub)).user.id).toBe(attacker.user.id);
    expect((await login(server, email)).user.id).toBe(victim.id);
  });

  it("(d) a social sign-in never joins an account that had a password before its address was proven", async () => {
    const email = victimAddress();
    const attacker = await register(email);
    await clickVerification(email, attacker.username);
    const identity = op.addAccount({ sub: uniqueName("sub"), email, email_verified: true });
    const sessionsBefore = await prisma().session.count({ where: { userId: attacker.id } });

    const { body } = await signInWith(server, op, identity.sub);
    expect(body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "OAUTH_LINK_REQUIRED" });
    expect(await prisma().oAuthAccount.count({ where: { userId: attacker.id } })).toBe(0);
    expect(await prisma().session.count({ where: { userId: attacker.id } })).toBe(sessionsBefore);

    // After a reset by the mailbox owner, every way in postdates the proof: now it joins.
    await resetByMail(email);
    expect((await signInOk(server, op, identity.sub)).user.id).toBe(attacker.id);
  });

  it("(e) two-factor turned on before the address was proven does not lock the owner out after a reset", async () => {
    const email = victimAddress();
    const attacker = await register(email);
    const session = await login(server, attacker.username);
    const begun = await server.gql(BEGIN_TOTP, {}, { token: session.accessToken });
    const code = nextTotpCode(server, begun.body.data.beginTotpEnrollment.secret);
    expect((await server.gql(CONFIRM_TWO_FACTOR, { code }, { token: session.accessToken })).body.errors).toBeUndefined();

    // The victim proves the mailbox and resets: the attacker's authenticator no longer stands
    // between the owner and the account, and its recovery codes are gone with it.
    await clickVerification(email, attacker.username);
    await resetByMail(email);
    expect(await prisma().twoFactor.count({ where: { userId: attacker.id } })).toBe(0);
    expect(await prisma().recoveryCode.count({ where: { userId: attacker.id } })).toBe(0);
    const signedIn = await server.gql(LOGIN, { input: { identifier: email, password: NEW_PASSWORD } });
    expect(signedIn.body.data.login.__typename).toBe("AuthPayload");
  });

  it("keeps the passkeys of an owner who later moved to a new address, when the new address resets", async () => {
    const email = victimAddress();
    const owner = await register(email);
    await clickVerification(email, owner.username);
    const session = await login(server, owner.username);
    await addPasskey(server, session.accessToken);

    const next = victimAddress();
    const change = await server.gql(`mutation($e: String) { updateProfile(input: { email: $e }) { pendingEmail } }`, { e: next }, { token: session.accessToken });
    expect(change.body.data.updateProfile.pendingEmail).toBe(next);
    const { token } = await mailedLink(next, "/confirm-email");
    server.clock.advance(60_000);
    const confirmed = await server.gql(`mutation($t: String!) { confirmEmailChange(token: $t) { emailVerified } }`, { t: token });
    expect(confirmed.body.data.confirmEmailChange.emailVerified).toBe(true);

    // The account's first proof stands: the passkey was made after it, by the mailbox's owner.
    await resetByMail(next);
    expect(await prisma().webAuthnCredential.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("keeps two-factor the owner turned on after proving the address", async () => {
    const email = victimAddress();
    const owner = await register(email);
    await clickVerification(email, owner.username);
    const session = await login(server, owner.username);
    const begun = await server.gql(BEGIN_TOTP, {}, { token: session.accessToken });
    const code = nextTotpCode(server, begun.body.data.beginTotpEnrollment.secret);
    expect((await server.gql(CONFIRM_TWO_FACTOR, { code }, { token: session.accessToken })).body.errors).toBeUndefined();
    await resetByMail(email);
    expect(await prisma().twoFactor.count({ where: { userId: owner.id } })).toBe(1);
  });
});

describe.each(testDatabases)("unverified addresses are claims on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
  useServerWithOidcProvider(kind, (started) => ({ op, server } = started));
  const prisma = () => server.app.database.prisma;

  async function register(email: string | null) {
    const username = uniqueName("acct");
    const { body } = await server.gql(REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email } });
    if (body.errors) throw new Error(`register failed: ${JSON.stringify(body.errors)}`);
    return { id: body.data.register.userId as string, username };
  }

  async function verify(email: string, username: string) {
    const mails = await prisma().outboxMail.findMany({ where: { to: email }, orderBy: { createdAt: "desc" } });
    const mail = mails.find((m) => m.text.includes(`Hello ${username},`) && m.text.includes("/verify-email?token="))!;
    const token = /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    return server.gql(VERIFY_EMAIL, { token });
  }

  it("sign-in by e-mail names the verified holder, else the one account claiming the address, else nobody", async () => {
    const email = `${uniqueName("shared")}@example.org`;
    const first = await register(email);
    // One claim: the address signs in to it, as before verification existed.
    expect((await login(server, email.toUpperCase())).user.id).toBe(first.id);

    const second = await register(email);
    const byEmail = await server.gql(LOGIN, { input: { identifier: email, password: STRONG_PASSWORD } });
    expect(byEmail.body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
    expect((await login(server, second.username)).user.id).toBe(second.id);

    // The second proves the mailbox: the first's claim ends in the same transaction.
    expect((await verify(email, second.username)).body.data?.verifyEmail.emailVerified).toBe(true);
    expect((await login(server, email)).user.id).toBe(second.id);
    expect(await prisma().user.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ email: null, emailVerified: false });
    // The first's own verification link is dead now.
    const late = await verify(email, first.username);
    expect(late.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    // And the address is taken for good.
    const again = await server.gql(REGISTER, { input: { username: uniqueName(), password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email } });
    expect(again.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "email" });
  });

  it("a provider vouching for the address ends other accounts' claims on it", async () => {
    const email = `${uniqueName("vouched")}@example.org`;
    const claimer = await register(email);
    const identity = op.addAccount({ sub: uniqueName("sub"), email, email_verified: true });
    const payload = await signInOk(server, op, identity.sub);
    expect(payload.user).toMatchObject({ email, emailVerified: true });
    expect(payload.user.id).not.toBe(claimer.id);
    expect(await prisma().user.findUniqueOrThrow({ where: { id: claimer.id } })).toMatchObject({ email: null });
  });

  it("reset mails go only to verified addresses by default; the answer is true either way", async () => {
    const email = `${uniqueName("unproven")}@example.org`;
    const user = await register(email);
    const mailCount = () => prisma().outboxMail.count({ where: { to: email, subject: "Reset your password" } });
    expect((await server.gql(REQUEST_RESET, { email })).body).toEqual({ data: { requestPasswordReset: true } });
    expect(await mailCount()).toBe(0);
    await verify(email, user.username);
    expect((await server.gql(REQUEST_RESET, { email })).body).toEqual({ data: { requestPasswordReset: true } });
    expect(await mailCount()).toBe(1);
  });

  it("an unverified account cannot add passkeys or link providers; one without an address can add passkeys", async () => {
    const email = `${uniqueName("pending")}@example.org`;
    const user = await register(email);
    const session = await login(server, user.username);
    const begun = await server.gql(BEGIN_REGISTRATION, {}, { token: session.accessToken });
    expect(begun.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "EMAIL_NOT_VERIFIED" });

    const identity = op.addAccount({ sub: uniqueName("sub") });
    const { authorizationUrl, ...input } = await authorizeAt(server, op, identity.sub, { token: session.accessToken });
    void authorizationUrl;
    const linked = await server.gql(LINK_OAUTH, { input }, { token: session.accessToken });
    expect(linked.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "EMAIL_NOT_VERIFIED" });
    expect(await prisma().oAuthAccount.count({ where: { userId: user.id } })).toBe(0);
    // Refused before the flow is spent: once the address is verified, the same flow links.
    await verify(email, user.username);
    const later = await server.gql(LINK_OAUTH, { input }, { token: session.accessToken });
    expect(later.body.data?.linkOAuthAccount.linkedProviders).toEqual(["testop"]);

    const noAddress = await register(null);
    const token = (await login(server, noAddress.username)).accessToken;
    await addPasskey(server, token, { name: "Laptop" });
    expect(await prisma().webAuthnCredential.count({ where: { userId: noAddress.id } })).toBe(1);
  });

  it("a reset by e-mail ends every session and removes the ways in made before the proof, and its mail lists the rest", async () => {
    const email = `${uniqueName("owner")}@example.org`;
    const user = await register(email);
    await verify(email, user.username);
    const session = await login(server, user.username);
    const old = await addPasskey(server, session.accessToken, { name: "Old laptop" });
    await addPasskey(server, session.accessToken, { name: "Phone" });
    const identity = op.addAccount({ sub: uniqueName("sub") });
    const { authorizationUrl, ...input } = await authorizeAt(server, op, identity.sub, { token: session.accessToken });
    void authorizationUrl;
    expect((await server.gql(LINK_OAUTH, { input }, { token: session.accessToken })).body.data?.linkOAuthAccount.linkedProviders).toEqual(["testop"]);
    // Rows from before the address was proven (made under an earlier address, or before this rule).
    const row = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });
    const earlier = new Date(row.emailVerifiedAt!.getTime() - 60_000);
    await prisma().webAuthnCredential.update({ where: { id: old.id }, data: { createdAt: earlier } });
    await prisma().oAuthAccount.updateMany({ where: { userId: user.id }, data: { createdAt: earlier } });

    expect((await server.gql(REQUEST_RESET, { email })).body).toEqual({ data: { requestPasswordReset: true } });
    const mail = await prisma().outboxMail.findFirstOrThrow({ where: { to: email, subject: "Reset your password" } });
    expect(mail.text).toContain('passkeys "Phone"');
    expect(mail.text).not.toContain("Old laptop");
    expect(mail.text).toContain("added before this address was verified are removed");
    expect(mail.text).toContain("http://localhost:4000/security");
    const token = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    expect(await isAccepted(server, session.accessToken)).toBe(true);

    const { body } = await server.gql(RESET_PASSWORD, { input: { token, newPassword: NEW_PASSWORD } });
    expect(body).toEqual({ data: { resetPassword: true } });
    // The access token dies at once, not at its expiry.
    expect(await isAccepted(server, session.accessToken)).toBe(false);
    expect(await prisma().session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    const passkeys = await prisma().webAuthnCredential.findMany({ where: { userId: user.id } });
    expect(passkeys.map((p) => p.name)).toEqual(["Phone"]);
    expect(await prisma().oAuthAccount.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma().credential.count({ where: { userId: user.id, kind: "SECRET_PASSKEY", isCurrent: true } })).toBe(0);
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { userId: user.id, type: "PASSWORD_RESET" } });
    expect(audit.metadata).toMatchObject({ removedPasskeys: 1, removedProviders: ["testop"], secretPasskeyCleared: true });
    const me = await server.gql(ME, {}, { token: (await login(server, email, NEW_PASSWORD)).accessToken });
    expect(me.body.data.me.id).toBe(user.id);
  });
});
