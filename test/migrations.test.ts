import { pendingMigrationSql } from "../src/db/migration-drift";

describe("prisma/migrations", () => {
  it("build exactly the database prisma/schema.prisma describes (run `npm run migration:new -- <name>`)", async () => {
    expect(await pendingMigrationSql()).toBe("");
  });
});
