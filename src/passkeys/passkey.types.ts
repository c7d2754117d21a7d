import { Field, ID, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import type { WebAuthnCredential } from "../generated/prisma/client";

@ObjectType()
export class Passkey {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => DateTime, { nullable: true }) lastUsedAt!: Date | null;
}

@ObjectType()
export class PasskeyLoginStart {
  @Field(() => String) challengeToken!: string;
  @Field(() => String, { description: "PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get" }) optionsJson!: string;
}

/** Only what the owner may see: never the key, counter or credential id. */
export function toPasskey(row: WebAuthnCredential): Passkey {
  return { id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}
