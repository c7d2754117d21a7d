import { startTestServer, type TestServer } from "./support/test-server";

/*
 * With introspection off (production's default) the schema is not public, yet graphql-js's
 * "Did you mean ...?" hints named fields, arguments, types and enum values near a wrong guess.
 */
const probes: Array<[string, string, Record<string, unknown> | undefined, string]> = [
  ["field", "{ me { emial } }", undefined, "email"],
  ["argument", "{ searchUsers(frist: 5) { totalCount } }", undefined, "first"],
  ["type", "query($f: UserSearchFiltr) { searchUsers(filter: $f) { totalCount } }", undefined, "UserSearchFilter"],
  ["enum value", "{ searchUsers(filter: { role: ADMN }) { totalCount } }", undefined, "ADMIN"],
  ["enum value in variables", "query($r: Role) { searchUsers(filter: { role: $r }) { totalCount } }", { r: "ADMN" }, "ADMIN"],
  ["input field", "mutation { updateProfile(input: { hobbby: \"x\" }) { id } }", undefined, "hobby"],
  ["input field in variables", "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { id } }", { i: { hobbby: "x" } }, "hobby"],
  ["union member (inline fragment hint)", "mutation { login(input: { identifier: \"a\", password: \"b\" }) { accessToken } }", undefined, "AuthPayload"],
];

describe.each([
  ["production (introspection off)", { NODE_ENV: "production" }, false],
  ["development with introspection on", {}, true],
])("schema names in error suggestions, %s", (_name, env, suggested) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", { env });
  });
  afterAll(() => server.stop());

  it.each(probes)("for a misspelt %s", async (_what, query, variables, name) => {
    const { body } = await server.gql(query, variables);
    const messages = (body.errors ?? []).map((e) => e.message).join("\n");
    // A wrong document fails validation; a wrong variable value is the caller's input.
    expect(body.errors?.[0].extensions?.code).toBe(variables ? "BAD_USER_INPUT" : "GRAPHQL_VALIDATION_FAILED");
    if (suggested) {
      expect(messages).toMatch(/Did you mean/);
      expect(messages).toContain(`"${name}"`);
    } else {
      expect(messages).not.toMatch(/Did you mean/);
      expect(messages).not.toContain(`"${name}"`);
    }
  });
});
