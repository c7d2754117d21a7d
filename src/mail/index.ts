// What mail/ offers the other features; they import from here, not from its files.
export { createMail } from "./create-mail";
export type { Outbox } from "./outbox";
export type { OutboxStore } from "./outbox.store";
export { renderNotice } from "./templates";
export type { MailTemplates, RenderedMail } from "./templates";
