import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser, uniqueName, registerSignedInUser } from "./support/accounts";
import { ProfileService } from "../src/accounts/profile.service";

const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      id username email emailVerified updatedAt
      profile { name contact address occupation hobby highestQualification dateOfBirth }
    }
  }
`;
const ME_PROFILE = /* GraphQL */ `
  query { me { username email emailVerified profile { name contact address occupation hobby highestQualification dateOfBirth } } }
`;

const FULL_PROFILE = {
  name: "Grace Hopper",
  contact: "+1 (202) 555-0143",
  address: "1 Navy Yard\nWashington, DC 20374, United States",
  occupation: "Rear admiral",
  hobby: "Teaching with nanosecond wires",
  highestQualification: "PhD in Mathematics",
  dateOfBirth: "1906-12-09T00:00:00.000Z",
};

describe.each(testDatabases)("updateProfile on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const signedIn = () => registerSignedInUser(server);

  it("round-trips every profile field, and `me` reads them back", async () => {
    const user = await signedIn();
    const { body } = await server.gql(UPDATE, { input: FULL_PROFILE }, { token: user.token });
    expect(body.errors).toBeUndefined();
    expect(body.data.updateProfile.profile).toEqual(FULL_PROFILE);
    const me = await server.gql(ME_PROFILE, {}, { token: user.token });
    expect(me.body.data.me.profile).toEqual(FULL_PROFILE);
  });

  it("leaves fields that are not given alone, clears fields given as null or blank, and trims text", async () => {
    const user = await signedIn();
    await server.gql(UPDATE, { input: FULL_PROFILE }, { token: user.token });
    const { body } = await server.gql(UPDATE, { input: { hobby: null, occupation: "   ", name: "  Grace B. Hopper  " } }, { token: user.token });
    expect(body.data.updateProfile.profile).toEqual({ ...FULL_PROFILE, hobby: null, occupation: null, name: "Grace B. Hopper" });
  });

  it("changes the username, keeping case-insensitive uniqueness", async () => {
    const user = await signedIn();
    const other = await registerUser(server);
    const taken = await server.gql(UPDATE, { input: { username: other.username.toUpperCase() } }, { token: user.token });
    expect(taken.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "username" });

    const ownInCapitals = await server.gql(UPDATE, { input: { username: user.username.toUpperCase() } }, { token: user.token });
    expect(ownInCapitals.body.data.updateProfile.username).toBe(user.username.toUpperCase());

    const renamed = uniqueName("renamed");
    const { body } = await server.gql(UPDATE, { input: { username: renamed } }, { token: user.token });
    expect(body.data.updateProfile.username).toBe(renamed);
    // The new name signs in; the old one is free for someone else.
    expect((await login(server, renamed.toUpperCase())).user.id).toBe(user.id);
    await expect(registerUser(server, { username: user.username, email: null })).resolves.toMatchObject({ username: user.username });
  });

  it("keeps a case-only change of the address verified; a new one is only pending; refuses one another account proved", async () => {
    const user = await signedIn();
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { emailVerified: true } });
    const [local, domain] = user.email.split("@");
    const caseOnly = await server.gql(UPDATE, { input: { email: `${local.toUpperCase()}@${domain.toUpperCase()}` } }, { token: user.token });
    // The local part is kept as typed, the domain lower-cased.
    expect(caseOnly.body.data.updateProfile).toMatchObject({ email: `${local.toUpperCase()}@${domain}`, emailVerified: true });

    const other = await registerUser(server);
    await server.app.database.prisma.user.update({ where: { id: other.id }, data: { emailVerified: true } });
    const taken = await server.gql(UPDATE, { input: { email: other.email.toUpperCase() } }, { token: user.token });
    expect(taken.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "email" });

    const fresh = `${uniqueName("new")}@example.org`;
    const { body } = await server.gql(UPDATE, { input: { email: fresh } }, { token: user.token });
    expect(body.data.updateProfile).toMatchObject({ email: `${local.toUpperCase()}@${domain}`, emailVerified: true });
    await expect(login(server, fresh)).rejects.toThrow("Invalid credentials");

    const removed = await server.gql(UPDATE, { input: { email: null } }, { token: user.token });
    expect(removed.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
  });

  it("removes an unverified address", async () => {
    const user = await signedIn();
    const removed = await server.gql(UPDATE, { input: { email: null } }, { token: user.token });
    expect(removed.body.data.updateProfile).toMatchObject({ email: null, emailVerified: false });
  });

  const longText = (n: number) => "x".repeat(n);
  it.each([
    ["username", "no spaces allowed"],
    ["username", "ab"],
    ["username", null],
    ["email", "not-an-address"],
    ["name", longText(101)],
    ["contact", "line\u0000break"],
    ["address", longText(301)],
    ["occupation", "tab\there"],
    ["hobby", longText(101)],
    ["highestQualification", longText(151)],
    ["dateOfBirth", "2999-01-01T00:00:00.000Z"],
    ["dateOfBirth", "1850-01-01T00:00:00.000Z"],
    ["dateOfBirth", "yesterday"],
  ])("refuses an invalid %s (%p) with BAD_USER_INPUT naming the field, changing nothing", async (field, value) => {
    const user = await signedIn();
    await server.gql(UPDATE, { input: FULL_PROFILE }, { token: user.token });
    const { body } = await server.gql(UPDATE, { input: { name: "Changed", [field]: value } }, { token: user.token });
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    const me = await server.gql(ME_PROFILE, {}, { token: user.token });
    expect(me.body.data.me).toMatchObject({ username: user.username, email: user.email, profile: FULL_PROFILE });
  });

  it("answers UNAUTHENTICATED without a token", async () => {
    const { body } = await server.gql(UPDATE, { input: { name: "Nobody" } });
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("records PROFILE_UPDATED with the changed field names, never their values", async () => {
    const user = await signedIn();
    await server.gql(UPDATE, { input: { name: "Ada Lovelace", contact: "ada@example.net" } }, { token: user.token });
    const events = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id, type: "PROFILE_UPDATED" } });
    expect(events).toHaveLength(1);
    expect(events[0].metadata).toEqual({ fields: ["name", "contact"] });
    expect(JSON.stringify(events[0])).not.toContain("Lovelace");
  });

  it("runs the e-mail change inside the update transaction, only for a new address", async () => {
    const user = await registerUser(server);
    const prisma = server.app.database.prisma;
    const requested: string[] = [];
    let fail = false;
    const profiles = new ProfileService(prisma, server.app.services.userStore, server.app.services.audit, server.clock, {
      emailChange: {
        request: async (tx, changed, address) => {
          // The flow sees the uncommitted profile change through the transaction it is given.
          await tx.user.findUniqueOrThrow({ where: { id: changed.id } });
          requested.push(address.address);
          if (fail) throw new Error("mail queue unavailable");
        },
        cancel: async () => {},
      },
    });
    const origin = { ip: null, userAgent: null };
    const first = `${uniqueName("hook")}@example.com`;
    await profiles.update(user.id, { email: first }, origin);
    await profiles.update(user.id, { email: user.email.toUpperCase(), name: "Case only" }, origin);
    expect(requested).toEqual([first]);

    fail = true;
    await expect(profiles.update(user.id, { email: `${uniqueName("rolled")}@example.com`, name: "Rolled back" }, origin)).rejects.toThrow("mail queue");
    // The flow failed, so the change it belongs to did not happen either.
    expect((await prisma.profile.findUniqueOrThrow({ where: { userId: user.id } })).name).toBe("Case only");
  });
});
