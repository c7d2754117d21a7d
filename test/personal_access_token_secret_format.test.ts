import { createHash } from "node:crypto";
import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, registerSignedInUser } from "./support/accounts";
import { PAT_PATTERN, createPat } from "./support/personal-access-tokens";
import { isWellFormedTokenSecret } from "../src/personal-access-tokens";

/** A secret scanner's offline check, as docs/api.md describes it: the checksum is the start of the SHA-256 (hex) of the random part. */
function scannerValidates(candidate: string): boolean {
  const random = candidate.slice("lk_pat_".length, "lk_pat_".length + 43);
  const checksum = createHash("sha256").update(random, "utf8").digest("hex").slice(0, 6);
  return candidate.length === 56 && candidate.endsWith(checksum);
}

// The lk_pat_ prefix and checksum let scanners find leaked tokens and tell them from look-alikes;
// the secret itself never reaches the log.
describe.each(testDatabases)("personal access token secret format on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("hands out distinct lk_pat_ secrets a scanner finds in text and validates offline", async () => {
    const user = await registerSignedInUser(server);
    const secrets = [];
    for (let i = 0; i < 5; i++) secrets.push((await createPat(server, user.token, ["read:profile"], { name: `t${i}` })).secret);
    expect(new Set(secrets).size).toBe(5);
    const leaked = `config:\n  GITHUB=ghp_x\n  LATCHKEY_TOKEN="${secrets[0]}"\n  other=${secrets[1]};`;
    expect(leaked.match(PAT_PATTERN)).toEqual([secrets[0], secrets[1]]);
    for (const secret of secrets) {
      // It ends in a letter or digit, so a scanner's \b after it always holds (a "-" or "_" there failed one run in ~16).
      expect(secret).toMatch(/[0-9a-f]$/);
      expect(scannerValidates(secret)).toBe(true);
      expect(isWellFormedTokenSecret(secret)).toBe(true);
    }
    // A look-alike (one character of the random part changed) fails the checksum offline.
    const lookAlike = secrets[0].slice(0, 10) + (secrets[0][10] === "a" ? "b" : "a") + secrets[0].slice(11);
    expect(scannerValidates(lookAlike)).toBe(false);
    expect(isWellFormedTokenSecret(lookAlike)).toBe(false);
  });

  it("never writes the secret to the log, while the access line records the request", async () => {
    const user = await registerSignedInUser(server);
    const { secret } = await createPat(server, user.token);
    expect((await server.gql(ME, {}, { token: secret, headers: { "x-request-id": "pat-log-check-1" } })).body.data.me.id).toBe(user.id);
    await server.gql(ME, {}, { token: `${secret.slice(0, -2)}zz`, headers: { "x-request-id": "pat-log-check-2" } });
    const access = await server.waitForLog((line) => line.req?.id === "pat-log-check-1" && typeof line.responseTime === "number");
    expect(access).toMatchObject({ msg: "request completed", userId: user.id });
    expect(JSON.stringify(access)).not.toMatch(/authorization/i);
    const log = server.log();
    expect(log).not.toContain(secret);
    expect(log).not.toContain(secret.slice(7, 40));
    expect(log).not.toMatch(/lk_pat_[A-Za-z0-9_-]{10}/);
  });
});
