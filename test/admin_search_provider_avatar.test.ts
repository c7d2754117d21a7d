import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ADMIN_ENV, adminToken, seedUsers } from "./support/admin";

const SEARCH = /* GraphQL */ `
  query Search($filter: UserSearchFilter, $orderBy: UserOrder) {
    searchUsers(filter: $filter, orderBy: $orderBy, first: 10) {
      edges { node { id username avatarUrl pendingEmail } }
    }
  }
`;

const USER = /* GraphQL */ `
  query One($id: ID!) {
    user(id: $id) { id avatarUrl pendingEmail }
  }
`;

const PICTURE = "https://provider.example/pictures/osprey.png";

// Admin search answers the same User as `user(id:)`: every column, including the picture a
// sign-in provider gave and an address waiting for confirmation.
describe.each(testDatabases)("searchUsers shows the whole user on %s", (kind) => {
  let server: TestServer;
  let token: string;
  let id: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
    token = await adminToken(server);
    [{ id }] = await seedUsers(server, [{ username: "osprey_provider", email: "osprey@example.com" }]);
    // As social sign-in stores a provider's picture, and as an e-mail change waits for its link.
    await server.app.database.prisma.user.update({
      where: { id },
      data: { externalAvatarUrl: PICTURE, pendingEmail: "osprey.new@example.com" },
    });
  });
  afterAll(() => server.stop());

  it("the single-user query shows the provider's picture and the pending address", async () => {
    const { body } = await server.gql(USER, { id }, { token });
    expect(body.errors).toBeUndefined();
    expect(body.data.user).toEqual({ id, avatarUrl: PICTURE, pendingEmail: "osprey.new@example.com" });
  });

  it.each([
    ["a text search", { query: "osprey" }, undefined],
    ["a filter-only page", { emailVerified: false }, { field: "USERNAME", direction: "DESC" }],
    ["a page ordered by last sign-in", { emailVerified: false }, { field: "LAST_LOGIN_AT", direction: "ASC" }],
  ])("%s shows them too", async (_name, filter, orderBy) => {
    const { body } = await server.gql(SEARCH, { filter, orderBy }, { token });
    expect(body.errors).toBeUndefined();
    const node = body.data.searchUsers.edges.map((edge: { node: unknown }) => edge.node).find((n: { id: string }) => n.id === id);
    expect(node).toEqual({ id, username: "osprey_provider", avatarUrl: PICTURE, pendingEmail: "osprey.new@example.com" });
  });
});
