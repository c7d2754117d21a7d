import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, login, registerUser, uniqueName } from "./support/accounts";
import { REQUEST_RESET, RESET_SUBJECT } from "./support/recovery";

// One mailbox must be one identity: a display name, a comment or a Unicode look-alike must not
// make a victim's address count as another, and no folding may map one address onto another.

type Outcome = { stored: string } | "invalid" | "same as victim";

describe.each(testDatabases)("one address rule on %s", (kind) => {
  let server: TestServer;
  let victim: { id: string; local: string; email: string };
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { MAIL_POLL_INTERVAL: "1h" } });
    const local = uniqueName("kate");
    const user = await registerUser(server, { email: `${local}@corp.test` });
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { emailVerified: true } });
    victim = { id: user.id, local, email: user.email };
  });
  afterAll(() => server.stop());

  const table: Array<[string, (local: string) => string, Outcome]> = [
    ["a display name", (l) => `Support<${l}@corp.test>`, "invalid"],
    ["a display name with a space", (l) => `Support <${l}@corp.test>`, "invalid"],
    ["a leading comment", (l) => `(x)${l}@corp.test`, "invalid"],
    ["a trailing comment", (l) => `${l}@corp.test(x)`, "invalid"],
    ["a quoted local part", (l) => `"${l}"@corp.test`, "invalid"],
    ["whitespace inside", (l) => `${l} @corp.test`, "invalid"],
    ["a control character", (l) => `${l}\u0007@corp.test`, "invalid"],
    ["a Kelvin sign for k in the local part", (l) => `\u212A${l.slice(1)}@corp.test`, "invalid"],
    ["fullwidth letters in the local part", (l) => `\uFF4B${l.slice(1)}@corp.test`, "invalid"],
    ["a trailing dot", (l) => `${l}@corp.test.`, "invalid"],
    ["an overlong local part", () => `${"a".repeat(65)}@corp.test`, "invalid"],
    ["an overlong address (over 254)", () => `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.test`, "invalid"],
    ["two @", (l) => `${l}@evil.test@corp.test`, "invalid"],
    ["other letter case", (l) => `${l.toUpperCase()}@CORP.TEST`, "same as victim"],
    ["surrounding spaces", (l) => `  ${l}@corp.test `, "same as victim"],
    ["a fullwidth domain (the same DNS name)", (l) => `${l}@\uFF43\uFF4F\uFF52\uFF50.test`, "same as victim"],
    ["an IDN domain, stored in ASCII", () => "anna@b\u00FCcher.example", { stored: "anna@xn--bcher-kva.example" }],
    ["a mixed-case local part, kept as typed", () => "Anna.Maria@Example.ORG", { stored: "Anna.Maria@example.org" }],
  ];

  it.each(table)("sign-up with %s", async (_label, make, outcome) => {
    const email = make(victim.local);
    const { body } = await server.gql(REGISTER, { input: { username: uniqueName(), password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email } });
    if (outcome === "invalid") {
      expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
    } else if (outcome === "same as victim") {
      expect(body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "email" });
    } else {
      expect(body.errors).toBeUndefined();
      expect(body.data.register.user.email).toBe(outcome.stored);
    }
  });

  it("refuses the same forms in updateProfile", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const UPDATE = /* GraphQL */ `mutation ($email: String) { updateProfile(input: { email: $email }) { id } }`;
    for (const email of [`Support<${victim.local}@corp.test>`, `(x)${victim.local}@corp.test`, `\u212A${victim.local.slice(1)}@corp.test`]) {
      const { body } = await server.gql(UPDATE, { email }, { token: accessToken });
      expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
    }
  });

  it("does not fold a look-alike onto the victim's address at sign-in or password reset", async () => {
    const prisma = server.app.database.prisma;
    for (const lookAlike of [`\u212A${victim.local.slice(1)}@corp.test`, `Support<${victim.local}@corp.test>`]) {
      const { body } = await server.gql(LOGIN, { input: { identifier: lookAlike, password: STRONG_PASSWORD } });
      expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      expect((await server.gql(REQUEST_RESET, { email: lookAlike })).body.data.requestPasswordReset).toBe(true);
    }
    expect(await prisma.outboxMail.count({ where: { subject: RESET_SUBJECT, to: victim.email } })).toBe(0);
    // The real address, in any letter case, still works.
    expect((await login(server, `${victim.local.toUpperCase()}@Corp.Test`)).user.id).toBe(victim.id);
    await server.gql(REQUEST_RESET, { email: ` ${victim.local.toUpperCase()}@CORP.test` });
    expect(await prisma.outboxMail.count({ where: { subject: RESET_SUBJECT, to: victim.email } })).toBe(1);
  });
});
