import { Prisma } from "../generated/prisma/client";

/**
 * A version 7 UUID made by the database, for rows inserted by raw statements into tables whose
 * ids Prisma would make as `uuid(7)`: the time `at` in the first 48 bits (so ids sort by
 * creation), random bits after. Built from gen_random_uuid() (version 4) by overwriting the
 * time and turning the version nibble from 0100 to 0111; the variant bits stay. Evaluated per
 * row, so an INSERT ... SELECT of many rows gets distinct ids.
 */
export const uuidv7At = (at: Date): Prisma.Sql => Prisma.sql`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
  placing substring(int8send(${at.getTime()}::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid::text`;
