import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";

describe.each(testDatabases)("registration on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const register = (input: Record<string, unknown>) =>
    server.gql(REGISTER, { input: { password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, ...input } });

  it("creates a USER with an unverified e-mail that the new user can see", async () => {
    const username = uniqueName("Alice");
    const { body } = await register({ username, email: `${username}@Example.com` });
    expect(body.errors).toBeUndefined();
    expect(body.data.register.user).toMatchObject({
      username,
      // The local part as typed, the domain lower-cased (accounts/email-address.ts).
      email: `${username}@example.com`,
      role: "USER",
      emailVerified: false,
    });
    expect(body.data.register.userId).toBe(body.data.register.user.id);
  });

  it("refuses a username that differs only in case with CONFLICT", async () => {
    const username = uniqueName("Bob");
    await register({ username });
    const { body } = await register({ username: username.toUpperCase() });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "username" });
    expect(body.data).toBeNull();
  });

  it("refuses an e-mail another account has verified, whatever its case; an unverified claim does not block", async () => {
    const email = `${uniqueName("shared")}@example.com`;
    const first = await register({ username: uniqueName(), email });
    // Only claimed so far: its owner can still sign up with it.
    const second = await register({ username: uniqueName(), email: email.toUpperCase() });
    expect(second.body.errors).toBeUndefined();
    // The local part is kept as typed; the domain is stored lower-case.
    expect(second.body.data.register.user).toMatchObject({ email: email.toUpperCase().replace("@EXAMPLE.COM", "@example.com"), emailVerified: false });

    const prisma = server.app.database.prisma;
    await prisma.user.update({ where: { id: first.body.data.register.userId }, data: { emailVerified: true } });
    await prisma.user.update({ where: { id: second.body.data.register.userId }, data: { email: null, emailNormalized: null } });
    const third = await register({ username: uniqueName(), email: email.toUpperCase() });
    expect(third.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "email" });
  });

  it("lets exactly one of two simultaneous sign-ups for one name win", async () => {
    const username = uniqueName("race");
    const results = await Promise.all([register({ username }), register({ username: username.toUpperCase() })]);
    const codes = results.map((r) => r.body.errors?.[0]?.extensions?.code ?? "OK").sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
  });

  it.each([
    ["ab", "too short"],
    ["x".repeat(33), "too long"],
    ["has space", "a space"],
    ["semi;colon", "punctuation"],
  ])("refuses the username %p (%s) as BAD_USER_INPUT on username", async (username) => {
    const { body } = await register({ username });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "username" });
  });

  it("refuses a malformed e-mail as BAD_USER_INPUT on email", async () => {
    const { body } = await register({ username: uniqueName(), email: "not-an-address" });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
  });

  it.each([
    ["short1", ["TOO_SHORT"]],
    ["qwerty123456", ["COMMON"]],
    ["abcdefghij".repeat(13).slice(0, 129), ["TOO_LONG"]],
  ])("refuses the weak password %p with PASSWORD_POLICY reasons", async (password, reasons) => {
    const { body } = await register({ username: uniqueName(), password });
    expect(body.errors?.[0].extensions).toEqual({ code: "PASSWORD_POLICY", reasons });
    expect(body.errors?.[0].message).not.toContain(password);
  });

  it("refuses a password equal to the username or the e-mail", async () => {
    const username = uniqueName("samename_long");
    const asUsername = await register({ username, password: username.toUpperCase() });
    expect(asUsername.body.errors?.[0].extensions?.reasons).toEqual(["MATCHES_USERNAME"]);
    const email = `${uniqueName()}@example.com`;
    const asEmail = await register({ username: uniqueName(), email, password: email });
    expect(asEmail.body.errors?.[0].extensions?.reasons).toEqual(["MATCHES_EMAIL"]);
  });

  it("counts length after NFKC normalisation", async () => {
    // Eleven full-width digits and a letter normalise to 12 ASCII characters: accepted.
    const { body } = await register({ username: uniqueName(), password: "１２３４５６７８９０１x" });
    expect(body.errors).toBeUndefined();
  });

  it("refuses a secret passkey that is short or equal to the password", async () => {
    // The password rules apply to the secret passkey (weak_secret_passkey.test.ts).
    const short = await register({ username: uniqueName(), secretPasskey: "short" });
    expect(short.body.errors?.[0].extensions).toEqual({ code: "PASSWORD_POLICY", reasons: ["TOO_SHORT"], field: "secretPasskey" });
    const same = await register({ username: uniqueName(), secretPasskey: STRONG_PASSWORD });
    expect(same.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "secretPasskey" });
  });

  it("stores the user, its profile and both credentials together, hashed", async () => {
    const username = uniqueName();
    const { body } = await register({ username });
    const id = body.data.register.userId;
    const prisma = server.app.database.prisma;
    const credentials = await prisma.credential.findMany({ where: { userId: id }, orderBy: { kind: "asc" } });
    expect(credentials.map((c) => [c.kind, c.isCurrent])).toEqual([
      ["PASSWORD", true],
      ["SECRET_PASSKEY", true],
    ]);
    for (const credential of credentials) {
      expect(credential.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(credential.hash).not.toContain(STRONG_PASSWORD);
    }
    expect(await prisma.profile.count({ where: { userId: id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { userId: id, type: "REGISTERED" } })).toBe(1);
  });
});
