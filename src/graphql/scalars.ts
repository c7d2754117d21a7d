import { DateTimeResolver } from "graphql-scalars";

/** The contract's `DateTime`: ISO-8601 in UTC. */
export const DateTime = DateTimeResolver;
