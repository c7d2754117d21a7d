import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, SECRET_PASSKEY, login, registerUser, uniqueName } from "./support/accounts";
import { NEW_PASSWORD, PASSKEY_RESET, REQUEST_RESET, RESET_PASSWORD } from "./support/recovery";
import { DISABLE, REGENERATE, nextTotpCode, userWithTwoFactor } from "./support/two-factor";
import { addPasskey } from "./support/passkeys";
import type { TestOidcProvider } from "./support/oidc-test-provider";
import { LINK_OAUTH, authorizeAt, useServerWithOidcProvider } from "./support/oauth";

// Whoever changes an account's security behind its owner's back (a stolen session, a leaked
// password) must not do it silently: the verified address is told, without any secret or
// link that acts, and the same events reach webhooks.

const CHANGE_PASSWORD = /* GraphQL */ `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`;
const UPDATE_EMAIL = /* GraphQL */ `mutation ($email: String) { updateProfile(input: { email: $email }) { id } }`;

const SUBJECTS = {
  passwordChanged: "Your password was changed",
  passwordReset: "Your password was reset",
  emailChange: "Your e-mail address is being changed",
  twoFactorOff: "Two-factor authentication was turned off",
  passkeyAdded: "A passkey was added to your account",
  providerLinked: "A sign-in provider was linked to your account",
  recoveryCodes: "New recovery codes were made",
  newDevice: "New sign-in to your account",
};

describe.each(testDatabases)("security notices on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
  useServerWithOidcProvider(kind, async (started) => {
    ({ op, server } = started);
    await server.app.database.prisma.webhookEndpoint.create({
      data: {
        url: "https://hooks.example.com/latchkey",
        secretEncrypted: "unused",
        events: ["user.email_change_requested", "user.email_changed", "passkey.added", "oauth.linked", "two_factor.recovery_codes_regenerated", "session.new_device", "password.changed", "password.reset", "two_factor.disabled"],
      },
    });
  }, { env: { MAIL_POLL_INTERVAL: "1h", WEBHOOK_POLL_INTERVAL: "1h" } });

  const prisma = () => server.app.database.prisma;

  async function account(verified: boolean) {
    const user = await registerUser(server);
    if (verified) await prisma().user.update({ where: { id: user.id }, data: { emailVerified: true } });
    const { accessToken } = await login(server, user.username);
    return { ...user, token: accessToken };
  }

  async function notices(email: string, subject: string) {
    const mails = await prisma().outboxMail.findMany({ where: { to: email, subject } });
    for (const mail of mails) {
      // Never a link, a token or a code.
      for (const part of [mail.text, mail.html ?? ""]) {
        expect(part).not.toMatch(/https?:|token=/);
      }
    }
    return mails;
  }

  async function webhookEvents(type: string, userId: string) {
    const rows = await prisma().webhookDelivery.findMany({ where: { eventType: type } });
    return rows.map((row) => JSON.parse(row.payload) as { type: string; data: Record<string, unknown> }).filter((event) => event.data.userId === userId);
  }

  it.each([true, false])("password changed (verified address: %s)", async (verified) => {
    const user = await account(verified);
    await server.gql(CHANGE_PASSWORD, { input: { currentPassword: user.password, newPassword: NEW_PASSWORD } }, { token: user.token });
    const mails = await notices(user.email, SUBJECTS.passwordChanged);
    expect(mails).toHaveLength(verified ? 1 : 0);
    if (verified) expect(mails[0].text).toContain(`Hello ${user.username},`);
    expect(await webhookEvents("password.changed", user.id)).toHaveLength(1);
  });

  it("password reset by e-mail link", async () => {
    const user = await account(true);
    await server.gql(REQUEST_RESET, { email: user.email });
    const resetMail = await prisma().outboxMail.findFirstOrThrow({ where: { to: user.email, subject: "Reset your password" } });
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(resetMail.text)![1];
    const { body } = await server.gql(RESET_PASSWORD, { input: { token, newPassword: NEW_PASSWORD } });
    expect(body.errors).toBeUndefined();
    expect(await notices(user.email, SUBJECTS.passwordReset)).toHaveLength(1);
    expect(await webhookEvents("password.reset", user.id)).toHaveLength(1);
  });

  it("password reset with the secret passkey does not mail an unverified address", async () => {
    const user = await account(false);
    const { body } = await server.gql(PASSKEY_RESET, { input: { username: user.username, secretPasskey: SECRET_PASSKEY, newPassword: NEW_PASSWORD } });
    expect(body.errors).toBeUndefined();
    expect(await notices(user.email, SUBJECTS.passwordReset)).toHaveLength(0);
    expect(await webhookEvents("password.reset", user.id)).toHaveLength(1);
  });

  it.each([true, false])("e-mail change requested (verified address: %s)", async (verified) => {
    const user = await account(verified);
    const next = `${uniqueName("next")}@example.org`;
    await server.gql(UPDATE_EMAIL, { email: next }, { token: user.token });
    expect(await notices(user.email, SUBJECTS.emailChange)).toHaveLength(verified ? 1 : 0);
    expect(await webhookEvents("user.email_change_requested", user.id)).toHaveLength(1);
  });

  it.each([true, false])("two-factor turned off and recovery codes regenerated (verified address: %s)", async (verified) => {
    const user = await userWithTwoFactor(server);
    if (verified) await prisma().user.update({ where: { id: user.id }, data: { emailVerified: true } });
    const regenerated = await server.gql(REGENERATE, { code: nextTotpCode(server, user.secret) }, { token: user.accessToken });
    expect(regenerated.body.errors).toBeUndefined();
    expect(await notices(user.email, SUBJECTS.recoveryCodes)).toHaveLength(verified ? 1 : 0);
    expect(await webhookEvents("two_factor.recovery_codes_regenerated", user.id)).toHaveLength(1);

    const disabled = await server.gql(DISABLE, { code: nextTotpCode(server, user.secret) }, { token: user.accessToken });
    expect(disabled.body.errors).toBeUndefined();
    expect(await notices(user.email, SUBJECTS.twoFactorOff)).toHaveLength(verified ? 1 : 0);
    expect(await webhookEvents("two_factor.disabled", user.id)).toHaveLength(1);
  });

  it("passkey added", async () => {
    const user = await account(true);
    const added = await addPasskey(server, user.token, { name: "Work laptop" });
    const mails = await notices(user.email, SUBJECTS.passkeyAdded);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain("Passkey: Work laptop");
    expect(await webhookEvents("passkey.added", user.id)).toEqual([expect.objectContaining({ data: { userId: user.id, passkeyId: added.id } })]);
  });

  it("provider linked", async () => {
    const user = await account(true);
    const identity = op.addAccount({ sub: uniqueName("sub"), email: "elsewhere@example.net", email_verified: false });
    const { authorizationUrl, ...input } = await authorizeAt(server, op, identity.sub, { token: user.token });
    void authorizationUrl;
    const { body } = await server.gql(LINK_OAUTH, { input }, { token: user.token });
    expect(body.errors).toBeUndefined();
    const mails = await notices(user.email, SUBJECTS.providerLinked);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain("Provider: testop");
    expect(await webhookEvents("oauth.linked", user.id)).toEqual([expect.objectContaining({ data: { userId: user.id, provider: "testop", via: "SIGNED_IN" } })]);
  });

  describe("sign-in from a device not seen before", () => {
    const signIn = async (identifier: string, headers: Record<string, string>) => {
      const response = await server.gql(LOGIN, { input: { identifier, password: "violet-harbour-lantern-42" } }, { headers });
      expect(response.body.errors).toBeUndefined();
      const cookie = /lk_device=([A-Za-z0-9_-]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
      return { cookie };
    };

    it("mails nothing on the first sign-in ever nor from a known device, and a notice from a new one", async () => {
      const user = await registerUser(server);
      await prisma().user.update({ where: { id: user.id }, data: { emailVerified: true } });
      const count = async () => (await notices(user.email, SUBJECTS.newDevice)).length;

      // First sign-in of the account: nothing to compare with.
      const first = await signIn(user.username, { "user-agent": "Browser A" });
      expect(first.cookie).toBeDefined();
      expect(await count()).toBe(0);
      // The same browser (its device cookie), even with another user agent.
      const again = await signIn(user.username, { "user-agent": "Browser A 2.0", cookie: `lk_device=${first.cookie}` });
      expect(again.cookie).toBeUndefined();
      expect(await count()).toBe(0);
      // No cookie: the user agent stands for the device.
      await signIn(user.username, { "user-agent": "Browser A" });
      expect(await count()).toBe(0);

      // A new user agent without a cookie, then an unknown cookie: each is a new device.
      await signIn(user.email, { "user-agent": "Other Browser" });
      expect(await count()).toBe(1);
      const [mail] = await notices(user.email, SUBJECTS.newDevice);
      expect(mail.text).toContain("Browser or app: Other Browser");
      const stranger = await signIn((await registerUser(server)).username, { "user-agent": "Browser A" });
      await signIn(user.username, { "user-agent": "Browser A", cookie: `lk_device=${stranger.cookie}` });
      expect(await count()).toBe(2);
      expect(await webhookEvents("session.new_device", user.id)).toHaveLength(2);
    });

    it("mails nothing to an unverified address", async () => {
      const user = await registerUser(server);
      await signIn(user.username, { "user-agent": "Browser A" });
      await signIn(user.username, { "user-agent": "Other Browser" });
      expect(await notices(user.email, SUBJECTS.newDevice)).toHaveLength(0);
      expect(await webhookEvents("session.new_device", user.id)).toHaveLength(1);
    });
  });
});
