import type { TestServer } from "./support/test-server";
import { startTestServer, START_TIMEOUT_MS } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, login, uniqueName } from "./support/accounts";
import { INVITE_MEMBER, MY_ORGANIZATIONS, createOrganization, invitationTokenFromOutbox, signedInVerifiedUser } from "./support/organizations";

const VERIFIED = /* GraphQL */ `query { me { emailVerified } }`;

// A person without an account signs up from the invitation link and joins in the same step:
// the link proved the mailbox, so the address is verified; any other address is refused.
describe.each(testDatabases)("sign-up from an organization invitation on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  async function invite(): Promise<{ organizationId: string; email: string; token: string }> {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    const email = `${uniqueName("newcomer")}@example.com`;
    const invited = await server.gql(INVITE_MEMBER, { organizationId, email, role: "ADMIN" }, { token: owner.token });
    expect(invited.body.errors).toBeUndefined();
    return { organizationId, email, token: await invitationTokenFromOutbox(server, email) };
  }

  const register = (email: string, invitationToken: string, username = uniqueName("newcomer")) =>
    server.gql(REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email, invitationToken } }).then((result) => ({ ...result, username }));

  it("creates the account with the address verified and the membership, in one step", async () => {
    const { organizationId, email, token } = await invite();
    const { body, username } = await register(email, token);
    expect(body.errors).toBeUndefined();
    const session = await login(server, username);
    expect((await server.gql(VERIFIED, {}, { token: session.accessToken })).body.data.me.emailVerified).toBe(true);
    const mine = await server.gql(MY_ORGANIZATIONS, {}, { token: session.accessToken });
    expect(mine.body.data.me.organizations).toEqual([{ role: "ADMIN", organization: expect.objectContaining({ id: organizationId }) }]);
    // No verification mail: the invitation link already proved the address.
    expect(await server.app.database.prisma.oneTimeToken.count({ where: { userId: body.data.register.userId, purpose: "EMAIL_VERIFICATION" } })).toBe(0);
    // Single use.
    const again = await register(email.replace("@", "+2@"), token);
    expect(again.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "invitationToken" });
  });

  it("refuses another address and creates nothing", async () => {
    const { email, token } = await invite();
    const other = `${uniqueName("other")}@example.com`;
    const { body, username } = await register(other, token);
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "invitationToken" });
    expect(await server.app.database.prisma.user.count({ where: { usernameNormalized: username.toLowerCase() } })).toBe(0);
    // The invitation is still usable by the invited address.
    const ok = await register(email, token);
    expect(ok.body.errors).toBeUndefined();
  });

  it("refuses an expired or unknown token", async () => {
    const unknown = await register(`${uniqueName("x")}@example.com`, "nonsense");
    expect(unknown.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "invitationToken", reason: "INVITATION_INVALID" });
    const { email, token } = await invite();
    server.clock.advance(7 * 24 * 3_600_000 + 60_000);
    const expired = await register(email, token);
    expect(expired.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "invitationToken", reason: "INVITATION_EXPIRED" });
  });
});
