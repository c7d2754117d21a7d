import { Prisma } from "../src/generated/prisma/client";
import { PROFILE_COLUMNS, USER_COLUMNS } from "../src/accounts/user.store";
import { CREDENTIAL_COLUMNS } from "../src/credentials/credential.store";
import { SIGNING_KEY_COLUMNS } from "../src/sessions/signing-key.store";

/**
 * Each store's column list names exactly the scalar fields of its Prisma model, so a column added
 * to prisma/schema.prisma without the store's list (which every raw read of that table selects)
 * fails here rather than going missing from some answers. Add a store with one row:
 * [the list's name, the list, the model's Prisma.<Model>ScalarFieldEnum]. Lists that select on
 * purpose only some columns (a session check's, a queue claim's) are typed against their model
 * with `satisfies ReadonlyArray<keyof Model>` instead, so a renamed column fails to compile.
 */
const STORES: Array<[name: string, columns: readonly string[], modelFields: Record<string, string>]> = [
  ["accounts USER_COLUMNS (User)", USER_COLUMNS, Prisma.UserScalarFieldEnum],
  ["accounts PROFILE_COLUMNS (Profile)", PROFILE_COLUMNS, Prisma.ProfileScalarFieldEnum],
  ["credentials CREDENTIAL_COLUMNS (Credential)", CREDENTIAL_COLUMNS, Prisma.CredentialScalarFieldEnum],
  ["sessions SIGNING_KEY_COLUMNS (SigningKey)", SIGNING_KEY_COLUMNS, Prisma.SigningKeyScalarFieldEnum],
];

describe("store column lists match the Prisma models", () => {
  it.each(STORES)("%s names every scalar field of the model, each once", (_name, columns, modelFields) => {
    expect([...columns].sort()).toEqual(Object.values(modelFields).sort());
    expect(new Set(columns).size).toBe(columns.length);
  });
});
