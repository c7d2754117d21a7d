import { Field, ID, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import type { WebAuthnCredential } from "../generated/prisma/client";

@ObjectType({ description: "A WebAuthn credential (passkey) registered to the account, described without its key material." })
export class Passkey {
  @Field(() => ID, { description: "The passkey's identifier, for renamePasskey and removePasskey." }) id!: string;
  @Field(() => String, { nullable: true, description: "The label its owner gave it, at most 64 characters; null when unnamed." })
  name!: string | null;
  @Field(() => DateTime, { description: "When the passkey was registered." }) createdAt!: Date;
  @Field(() => DateTime, { nullable: true, description: "When the passkey was last used to sign in or reauthenticate; null when never." })
  lastUsedAt!: Date | null;
}

@ObjectType({ description: "A WebAuthn challenge to answer with navigator.credentials.get, valid 5 minutes." })
export class PasskeyLoginStart {
  @Field(() => String, { description: "The single-use token that names this challenge in finishPasskeyLogin or finishPasskeyReauthentication." })
  challengeToken!: string;
  @Field(() => String, { description: "PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get." }) optionsJson!: string;
}

/** Only what the owner may see: never the key, counter or credential id. */
export function toPasskey(row: WebAuthnCredential): Passkey {
  return { id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}
