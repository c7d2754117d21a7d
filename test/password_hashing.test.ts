import { availableParallelism } from "node:os";
import * as argon2 from "@node-rs/argon2";
import bcrypt from "bcryptjs";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, login, registerUser, uniqueName } from "./support/accounts";
import { PasswordHasher } from "../src/credentials/password-hasher";

const currentPasswordHash = async (server: TestServer, userId: string) =>
  (await server.app.database.prisma.credential.findFirstOrThrow({ where: { userId, kind: "PASSWORD", isCurrent: true } })).hash;

describe("password hasher", () => {
  const argon = new PasswordHasher({ algorithm: "argon2id", bcryptCost: 4 });
  const bcryptHasher = new PasswordHasher({ algorithm: "bcrypt", bcryptCost: 4 });
  afterAll(() => Promise.all([argon.close(), bcryptHasher.close()]));

  it("writes self-describing hashes that any configuration verifies", async () => {
    const a = await argon.hash("correct horse battery");
    const b = await bcryptHasher.hash("correct horse battery");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(b).toMatch(/^\$bcrypt-sha256\$v=2,t=2b,r=04\$/);
    for (const hasher of [argon, bcryptHasher]) {
      expect(await hasher.verify("correct horse battery", a)).toBe(true);
      expect(await hasher.verify("correct horse battery", b)).toBe(true);
      expect(await hasher.verify("correct horse batterY", a)).toBe(false);
      expect(await hasher.verify("correct horse batterY", b)).toBe(false);
    }
  });

  // A login storm must leave the event loop a core: hashes beyond one per core would not finish
  // sooner, only take CPU from cheap requests (and hold libuv threads that file and DNS work need).
  it("runs at most one argon2 hash per core at a time, however many are asked for at once", async () => {
    const cores = availableParallelism();
    let running = 0;
    let most = 0;
    const counted =
      <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        most = Math.max(most, ++running);
        try {
          return await work(...args);
        } finally {
          running--;
        }
      };
    const watched = new PasswordHasher({
      algorithm: "argon2id",
      bcryptCost: 4,
      argon2: { hash: counted(argon2.hash), verify: counted(argon2.verify) },
    });
    const hash = await watched.hash("storm of logins");
    const results = await Promise.all(Array.from({ length: cores * 4 }, (_, i) => watched.verify(i % 2 ? "storm of logins" : "wrong guess", hash)));
    expect(results).toEqual(Array.from({ length: cores * 4 }, (_, i) => i % 2 === 1));
    expect(most).toBe(cores);
    await watched.close();
  });

  it("asks for a rehash when the algorithm or its parameters differ from the configuration", async () => {
    const a = await argon.hash("some password here");
    const b = await bcryptHasher.hash("some password here");
    expect(argon.needsRehash(a)).toBe(false);
    expect(argon.needsRehash(b)).toBe(true);
    expect(bcryptHasher.needsRehash(b)).toBe(false);
    expect(bcryptHasher.needsRehash(a)).toBe(true);
    const costlier = new PasswordHasher({ algorithm: "bcrypt", bcryptCost: 5 });
    expect(costlier.needsRehash(b)).toBe(true);
    await costlier.close();
    expect(argon.needsRehash(bcrypt.hashSync("legacy password", 4))).toBe(true);
  });

  it("never accepts a truncated match against a plain legacy bcrypt hash", async () => {
    const base = "x".repeat(72);
    const legacy = bcrypt.hashSync(base, 4);
    expect(await argon.verify(base, legacy)).toBe(true);
    expect(await argon.verify(base + "extra", legacy)).toBe(false);
  });

  it("rejects hashes it does not recognise", async () => {
    expect(await argon.verify("anything", "plaintext-password")).toBe(false);
    expect(await argon.verify("anything", "$argon2id$garbage")).toBe(false);
  });
});

describe.each(testDatabases)("password hashing over the API on %s", (kind) => {
  describe("with PASSWORD_HASH=bcrypt", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, { env: { PASSWORD_HASH: "bcrypt", BCRYPT_COST: "4" } });
    });
    afterAll(() => server.stop());

    it("treats two passwords equal in their first 72 bytes as different passwords", async () => {
      const prefix = "p".repeat(72);
      const user = await registerUser(server, { password: `${prefix}-first-ending` });
      expect(await currentPasswordHash(server, user.id)).toMatch(/^\$bcrypt-sha256\$/);
      const other = await server.gql(LOGIN, { input: { identifier: user.username, password: `${prefix}-other-ending` } });
      expect(other.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      const right = await login(server, user.username, `${prefix}-first-ending`);
      expect(right.user.id).toBe(user.id);
    });

    it("upgrades an argon2id hash to the configured bcrypt at the next login", async () => {
      const user = await registerUser(server, { username: uniqueName() });
      const argonHasher = new PasswordHasher({ algorithm: "argon2id", bcryptCost: 4 });
      const argonHash = await argonHasher.hash(user.password);
      await argonHasher.close();
      await server.app.database.prisma.credential.updateMany({ where: { userId: user.id, kind: "PASSWORD" }, data: { hash: argonHash } });
      await login(server, user.username);
      expect(await currentPasswordHash(server, user.id)).toMatch(/^\$bcrypt-sha256\$v=2,t=2b,r=04\$/);
    });
  });

  describe("with the default argon2id", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind);
    });
    afterAll(() => server.stop());

    it("verifies an imported bcrypt hash and replaces it with argon2id at login", async () => {
      const user = await registerUser(server);
      const legacy = bcrypt.hashSync(user.password, 4);
      await server.app.database.prisma.credential.updateMany({ where: { userId: user.id, kind: "PASSWORD" }, data: { hash: legacy } });
      const payload = await login(server, user.username);
      expect(payload.user.id).toBe(user.id);
      const upgraded = await currentPasswordHash(server, user.id);
      expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      // The same password still works against the new hash, and the upgrade is audited.
      await login(server, user.username);
      expect(await server.app.database.prisma.auditEvent.count({ where: { userId: user.id, type: "PASSWORD_REHASHED" } })).toBe(1);
    });

    it("keeps a current hash untouched at login", async () => {
      const user = await registerUser(server);
      const before = await currentPasswordHash(server, user.id);
      await login(server, user.username);
      expect(await currentPasswordHash(server, user.id)).toBe(before);
    });
  });
});

describe("bcrypt off the event loop", () => {
  it("keeps the event loop responsive while bcrypt hashes run", async () => {
    const hasher = new PasswordHasher({ algorithm: "bcrypt", bcryptCost: 12 });
    try {
      // One hash's own duration, measured now, is the yardstick: on the event loop, a hash
      // would hold every timer back for at least that long.
      const started = performance.now();
      await hasher.hash("warm up the worker pool");
      const oneHashMs = performance.now() - started;
      let worstLagMs = 0;
      let running = true;
      const probe = (async () => {
        while (running) {
          const tick = performance.now();
          await new Promise((resolve) => setTimeout(resolve, 5));
          worstLagMs = Math.max(worstLagMs, performance.now() - tick - 5);
        }
      })();
      const hashes = await Promise.all([1, 2, 3, 4].map((i) => hasher.hash(`password number ${i}`)));
      running = false;
      await probe;
      expect(hashes.every((h) => h.startsWith("$bcrypt-sha256$v=2,t=2b,r=12$"))).toBe(true);
      expect(worstLagMs).toBeLessThan(oneHashMs / 2);
    } finally {
      await hasher.close();
    }
  });
});
