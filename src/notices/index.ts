// What notices/ offers the other features; they import from here, not from its files.
export { createNotices } from "./create-notices";
export type { NoticeRecipientSql } from "./notice-mail.store";
