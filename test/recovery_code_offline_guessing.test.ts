import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestServer, type TestServer, type TestServerOptions } from "./support/test-server";
import { createPostgresDatabase, testDatabases } from "./support/databases";
import { passwordStep, userWithTwoFactor, verify } from "./support/two-factor";

/** The unkeyed digest recovery codes were once stored as: SHA-256 of "<userId>:<code without hyphen>". */
const unkeyed = (userId: string, code: string) => createHash("sha256").update(`${userId}:${code.replace("-", "")}`).digest("base64url");

// 50-bit recovery codes under a plain SHA-256 are guessed offline from a database dump in
// hours; keyed with APP_SECRET, the dump alone is not enough.
describe.each(testDatabases)("recovery codes after a database dump on %s", (kind) => {
  let dataDir: string;
  let postgres: { url: string; drop: () => Promise<void> } | undefined;
  let options: TestServerOptions;
  let server: TestServer | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-recovery-codes-"));
    postgres = kind === "postgres" ? await createPostgresDatabase() : undefined;
    options = { dataDir, pgliteDataDir: path.join(dataDir, "pglite"), databaseUrl: postgres?.url };
    server = await startTestServer(kind, options);
  });
  afterAll(async () => {
    await server?.stop();
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const storedHashes = async (userId: string) =>
    (await server!.app.database.prisma.recoveryCode.findMany({ where: { userId }, orderBy: { id: "asc" } })).map((row) => row.codeHash);

  it("stores new codes keyed: no stored value is the SHA-256 of a code", async () => {
    const user = await userWithTwoFactor(server!);
    const stored = await storedHashes(user.id);
    expect(stored).toHaveLength(10);
    for (const code of user.recoveryCodes) {
      expect(stored.join()).not.toContain(unkeyed(user.id, code));
      expect(stored.join()).not.toContain(createHash("sha256").update(code.replace("-", "")).digest("base64url"));
      expect(stored.join()).not.toContain(code.replace("-", ""));
    }
    const challenge = await passwordStep(server!, user.username);
    const { body } = await verify(server!, challenge.challengeToken, user.recoveryCodes[3]);
    expect(body.errors).toBeUndefined();
    expect(body.data.verifyTwoFactorLogin.user.id).toBe(user.id);
  });

  it("keys codes stored before at the next start; such a code still signs in, once", async () => {
    const user = await userWithTwoFactor(server!);
    const prisma = server!.app.database.prisma;
    // The rows as an older version wrote them.
    const rows = await prisma.recoveryCode.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });
    await prisma.$transaction(
      rows.map((row, i) => prisma.recoveryCode.update({ where: { id: row.id }, data: { codeHash: unkeyed(user.id, user.recoveryCodes[i]) } })),
    );
    const legacy = user.recoveryCodes.map((code) => unkeyed(user.id, code));
    expect(new Set(await storedHashes(user.id))).toEqual(new Set(legacy));

    await server!.stop();
    server = await startTestServer(kind, options);
    const upgraded = await storedHashes(user.id);
    expect(upgraded).toHaveLength(10);
    for (const digest of legacy) expect(upgraded.join()).not.toContain(digest);
    expect(new Set(upgraded).size).toBe(10);

    // A second start changes nothing more.
    await server!.stop();
    server = await startTestServer(kind, options);
    expect(await storedHashes(user.id)).toEqual(upgraded);

    const code = user.recoveryCodes[5];
    const first = await verify(server!, (await passwordStep(server!, user.username)).challengeToken, code);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.verifyTwoFactorLogin.user.id).toBe(user.id);
    const again = await verify(server!, (await passwordStep(server!, user.username)).challengeToken, code);
    expect(again.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    // Another code from before still works.
    const other = await verify(server!, (await passwordStep(server!, user.username)).challengeToken, user.recoveryCodes[0]);
    expect(other.body.errors).toBeUndefined();
  });
});
