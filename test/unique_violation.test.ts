import { Prisma } from "../src/generated/prisma/client";
import { onDuplicateKey, uniqueViolation } from "../src/db/unique-violation";

// The one duplicate-key helper recognises the key errors of each way a statement is sent.
describe("uniqueViolation", () => {
  const known = (code: string, meta?: Record<string, unknown>) => new Prisma.PrismaClientKnownRequestError("failed", { code, clientVersion: "test", meta });

  it("reads a model call's P2002 with the index's fields", () => {
    expect(uniqueViolation(known("P2002", { target: ["emailNormalized"] }))).toContain("emailNormalized");
  });

  it("reads a raw statement's 23505 through the driver adapter", () => {
    const error = known("P2010", { driverAdapterError: { cause: { kind: "UniqueConstraintViolation", constraint: { fields: ["usernameNormalized"] } } } });
    expect(uniqueViolation(error)).toContain("usernameNormalized");
  });

  it("reads the direct driver's 23505", () => {
    expect(uniqueViolation(Object.assign(new Error("duplicate key"), { code: "23505", constraint: "User_usernameNormalized_key" }))).toBe(
      "User_usernameNormalized_key",
    );
  });

  it("leaves other errors alone", async () => {
    expect(uniqueViolation(known("P2025"))).toBeUndefined();
    expect(uniqueViolation(new Error("boom"))).toBeUndefined();
    await expect(onDuplicateKey(() => Promise.reject(new Error("boom")), () => new Error("conflict"))).rejects.toThrow("boom");
    await expect(onDuplicateKey(() => Promise.reject(known("P2002", { target: ["x"] })), (t) => new Error(`conflict ${t}`))).rejects.toThrow(
      'conflict {"target":["x"]}',
    );
  });
});
