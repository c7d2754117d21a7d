import { User } from "../accounts";
import { connectionTypes } from "../graphql/pagination";

export const { EdgeType: UserEdge, ConnectionType: UserConnection } = connectionTypes("User", User);
