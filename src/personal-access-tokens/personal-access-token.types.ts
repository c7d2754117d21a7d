import { Field, ID, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import type { PersonalAccessTokenRow } from "./personal-access-token.store";

@ObjectType({ description: "A personal access token of the signed-in user: what it may do and when it was last used. Never its secret, which only createPersonalAccessToken's answer shows." })
export class PersonalAccessToken {
  @Field(() => ID, { description: "The token's id (revokePersonalAccessToken)." }) id!: string;
  @Field(() => String, { description: "The name its owner gave it, to tell tokens apart." }) name!: string;
  @Field(() => [String], { description: "What the token may do: read:profile, write:profile, admin:read (MODERATOR and ADMIN only, and only while the owner still is one)." }) scopes!: string[];
  @Field(() => DateTime, { description: "When it was made." }) createdAt!: Date;
  @Field(() => DateTime, { nullable: true, description: "When it stops working; null: never." }) expiresAt!: Date | null;
  @Field(() => DateTime, { nullable: true, description: "When it was last used, to the minute (written at most once a minute); null: never used." }) lastUsedAt!: Date | null;
  @Field(() => DateTime, { nullable: true, description: "When it was revoked; null while it is not." }) revokedAt!: Date | null;
}

@ObjectType({ description: "A token just made, with its secret: shown this once, stored only as a hash. Keep it like a password." })
export class PersonalAccessTokenWithSecret {
  @Field(() => PersonalAccessToken, { description: "The token." }) token!: PersonalAccessToken;
  @Field(() => String, {
    description:
      "The secret, lk_pat_ followed by 49 URL-safe characters (256 random bits and a checksum secret scanners can check offline). Send it as `Authorization: Bearer <secret>`. It cannot be shown again.",
  })
  secret!: string;
}

export function toPersonalAccessToken(row: PersonalAccessTokenRow): PersonalAccessToken {
  return {
    id: row.id, name: row.name, scopes: row.scopes, createdAt: row.createdAt, expiresAt: row.expiresAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt,
  };
}
