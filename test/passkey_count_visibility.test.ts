import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { STRONG_PASSWORD, login, registerVerifiedUser } from "./support/accounts";
import { ADMIN_ENV, adminToken, signedInAs } from "./support/admin";
import { addPasskey } from "./support/passkeys";

// User.passkeyCount tells the console's user page how many passkeys an account has. It must not
// become a way for any signed-in account to learn how others sign in.
describe.each(testDatabases)("passkeyCount visibility (%s)", (kind) => {
  let server: TestServer;
  let owner: { id: string; token: string };

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ...ADMIN_ENV } });
    const user = await registerVerifiedUser(server);
    const token = (await login(server, user.username, STRONG_PASSWORD)).accessToken;
    await addPasskey(server, token, { name: "laptop" });
    await addPasskey(server, token, { name: "phone" });
    owner = { id: user.id, token };
  }, 120_000);
  afterAll(() => server?.stop());

  const countAs = async (token: string, id: string) => {
    const res = await server.gql(`query ($id: ID!) { user(id: $id) { passkeyCount } }`, { id }, { token });
    return res.body;
  };

  it("shows the owner their own count", async () => {
    const res = await server.gql(`{ me { passkeyCount } }`, {}, { token: owner.token });
    expect(res.body.data.me.passkeyCount).toBe(2);
  });

  it("shows an ADMIN and a MODERATOR the count of a USER, counted per account in a page of users", async () => {
    expect((await countAs(await adminToken(server), owner.id)).data.user.passkeyCount).toBe(2);
    const moderator = await signedInAs(server, "MODERATOR");
    expect((await countAs(moderator.token, owner.id)).data.user.passkeyCount).toBe(2);
    const page = await server.gql(`{ searchUsers(first: 50) { edges { node { id passkeyCount } } } }`, {}, { token: moderator.token });
    const counts = new Map(page.body.data.searchUsers.edges.map((edge: { node: { id: string; passkeyCount: number } }) => [edge.node.id, edge.node.passkeyCount]));
    expect(counts.get(owner.id)).toBe(2);
    expect(counts.get(moderator.user.id)).toBe(0);
  });

  it("hides an ADMIN's count from a MODERATOR, as the rest of an ADMIN's security state", async () => {
    const admin = await signedInAs(server, "ADMIN");
    const moderator = await signedInAs(server, "MODERATOR");
    expect((await countAs(moderator.token, admin.user.id)).data.user.passkeyCount).toBeNull();
  });

  it("gives another USER nothing: user(id) is MODERATOR and ADMIN only", async () => {
    const stranger = await signedInAs(server, "USER");
    const body = await countAs(stranger.token, owner.id);
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(body.data?.user ?? null).toBeNull();
  });
});
