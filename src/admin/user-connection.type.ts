import { User } from "../accounts/user.type";
import { connectionTypes } from "../graphql/pagination";

export const { EdgeType: UserEdge, ConnectionType: UserConnection } = connectionTypes("User", User);
