// The user-row statements live in user.store.ts; these names stay for their callers in other
// features until those take a UserStore (`users.insert`, `users.markSignedInPart`).
export { insertUserRow, markSignedInPart, type NewUserRow } from "./user.store";
