import { DateTimeResolver } from "graphql-scalars";

/** The contract's `DateTime`: ISO-8601 in UTC. */
export const DateTime = DateTimeResolver;

/** The contract's `Upload`: a file of a GraphQL multipart request (graphql-upload). */
export { default as Upload } from "graphql-upload/GraphQLUpload.mjs";
