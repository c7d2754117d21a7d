import type { OutboxStore } from "../mail";
import { KnownDeviceStore } from "./known-device.store";
import { NoticeMailStore, type NoticeRecipientSql } from "./notice-mail.store";
import { SecurityNotices, type ConditionalDeliveries } from "./security-notices";

export interface NoticesDependencies {
  /** Mail's outbox, whose insert each notice joins to the event's statement. */
  outbox: OutboxStore;
  /** The account a notice goes to (accounts' user table). */
  recipient: NoticeRecipientSql;
  /** The session.new_device webhook deliveries of a sign-in from a new device (webhooks/). */
  newDeviceDeliveries?: ConditionalDeliveries;
}

/** Security notices by mail: hang `statementPart` on the audit trail as a statement listener. */
export function createNotices(deps: NoticesDependencies): SecurityNotices {
  return new SecurityNotices(new NoticeMailStore(deps.outbox, deps.recipient), new KnownDeviceStore(), deps.newDeviceDeliveries);
}
