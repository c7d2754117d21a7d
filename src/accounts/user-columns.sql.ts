import { userColumns } from "./user.store";

/**
 * The user columns of `u` (user.store.ts). Kept for the statements in sessions/ until they ask
 * the UserStore for them (`users.columns("u")`, `users.fromRow(row)`).
 */
export const USER_COLUMNS = userColumns("u");
