import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser } from "./support/accounts";
import { createFaker, fakeProfile } from "../src/accounts/fake-profile";

const GENERATE = /* GraphQL */ `
  mutation {
    generateFakeProfile {
      id username email
      profile { name contact address occupation hobby highestQualification dateOfBirth }
    }
  }
`;
const YEAR_MS = 365.25 * 24 * 3600 * 1000;

describe.each(testDatabases)("generateFakeProfile on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("fills every profile field with a non-empty, plausible value and leaves username and e-mail alone", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const { body } = await server.gql(GENERATE, {}, { token: accessToken });
    expect(body.errors).toBeUndefined();
    const { username, email, profile } = body.data.generateFakeProfile;
    expect({ username, email }).toEqual({ username: user.username, email: user.email });
    for (const [field, value] of Object.entries(profile)) {
      expect([field, typeof value === "string" && value.trim().length > 0]).toEqual([field, true]);
    }
    expect(profile.name).toMatch(/^\S+( \S+)+$/);
    expect(profile.address).toMatch(/, [A-Z]{2} \d{5}(-\d{4})?, United States$/);
    const age = (server.clock.now().getTime() - new Date(profile.dateOfBirth).getTime()) / YEAR_MS;
    expect(age).toBeGreaterThanOrEqual(18);
    expect(age).toBeLessThanOrEqual(81);

    // Stored, not just answered.
    const me = await server.gql(`query { me { profile { name hobby dateOfBirth } } }`, {}, { token: accessToken });
    expect(me.body.data.me.profile).toEqual({ name: profile.name, hobby: profile.hobby, dateOfBirth: profile.dateOfBirth });
    const audit = await server.app.database.prisma.auditEvent.findFirstOrThrow({ where: { userId: user.id, type: "PROFILE_UPDATED" } });
    expect(audit.metadata).toMatchObject({ generated: true });
  });

  it("gives different people on different calls", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const first = (await server.gql(GENERATE, {}, { token: accessToken })).body.data.generateFakeProfile.profile;
    const second = (await server.gql(GENERATE, {}, { token: accessToken })).body.data.generateFakeProfile.profile;
    expect(second).not.toEqual(first);
  });
});

describe("fake profile details", () => {
  const now = new Date("2026-06-01T12:00:00Z");

  it("repeat for the same seed and differ for another", () => {
    expect(fakeProfile(createFaker(42), now)).toEqual(fakeProfile(createFaker(42), now));
    expect(fakeProfile(createFaker(43), now)).not.toEqual(fakeProfile(createFaker(42), now));
  });

  it("hang together: birth dates at midnight UTC, no doctorate before 27, no degree before 21", () => {
    const faker = createFaker(7);
    for (let i = 0; i < 500; i++) {
      const person = fakeProfile(faker, now);
      const age = (now.getTime() - person.dateOfBirth.getTime()) / YEAR_MS;
      expect(person.dateOfBirth.toISOString()).toMatch(/T00:00:00\.000Z$/);
      expect(person.name).toBe(`${person.firstName} ${person.lastName}`);
      if (age < 27) expect(person.highestQualification).not.toMatch(/^PhD/);
      if (age < 21) expect(person.highestQualification).not.toMatch(/degree|Bachelor|Master/);
      if (age >= 68) expect(person.occupation).toMatch(/^Retired /);
    }
  });
});
