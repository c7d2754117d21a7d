import { GraphQLScalarType } from "graphql";
import { DateTimeResolver } from "graphql-scalars";
import GraphQLUpload from "graphql-upload/GraphQLUpload.mjs";
import { Errors } from "../common/app-error";

/** The contract's `DateTime`: ISO-8601 in UTC. */
export const DateTime = DateTimeResolver;

/**
 * The contract's `Upload`: a file of a GraphQL multipart request (graphql-upload). A file the
 * multipart parser gave up on (a malformed part header, a body cut short) is the caller's bad
 * input, whoever awaits it first.
 */
export const Upload = new GraphQLScalarType({
  ...GraphQLUpload.toConfig(),
  description:
    "A file sent in a GraphQL multipart request (graphql-multipart-request-spec), which also needs the apollo-require-preflight: true header. Input only.",
  parseValue(value) {
    const file = (GraphQLUpload.parseValue(value) as Promise<unknown>).catch(() => {
      throw Errors.badInput("file", "The upload did not complete");
    });
    // Like graphql-upload's own promise: a failure nobody awaited must not crash the process.
    file.catch(() => {});
    return file;
  },
});
