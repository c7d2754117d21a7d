import type { Prisma } from "../generated/prisma/client";
import { AuditEventType, type AuditEntry } from "../audit";
import { renderNotice, type RenderedMail } from "../mail";
import { sha256 } from "../common/tokens";
import type { KnownDeviceStore } from "./known-device.store";
import { PENDING_EMAIL, USERNAME, type NoticeMailStore } from "./notice-mail.store";

/**
 * Security notices: ONE listener on the audit trail mails the account's verified address when
 * something security-relevant happened to it, so no feature calls the mailer for them. Each
 * notice is a CTE of the audit event's own statement (AuditService.statementListeners): it is
 * queued in the outbox in the event's transaction and round trip, and only when the account's
 * address is verified at that moment (an unverified address is a claim, not a mailbox).
 *
 * A notice never holds a secret or a link that acts. Values only the database knows at that
 * point (the username, the masked pending address) are filled into the template by the
 * statement (notice-mail.store.ts).
 *
 * Devices: a sign-in presents the lk_device cookie (a long-lived random id the sign-in answer
 * sets when missing); without one, its user agent stands for the device. Known devices are
 * kept per account as SHA-256 keys (KnownDevice); a sign-in whose device is not among them
 * mails a notice and emits session.new_device, except the account's first sign-in ever.
 */

/** Known devices kept per account: the ones seen longest ago are forgotten first. */
export const KNOWN_DEVICES_PER_ACCOUNT = 50;

type Template = (entry: AuditEntry, now: Date) => RenderedMail | null;

const greeting = `Hello ${USERNAME},`;
const meta = (entry: AuditEntry) => entry.metadata ?? {};
const clip = (value: unknown, max = 100) => String(value ?? "").replace(/[\p{Cc}\p{Cf}]/gu, " ").slice(0, max);

/** When and from where: the facts every notice gives. */
function where(entry: AuditEntry, now: Date): Array<[string, string]> {
  return [
    ["When", `${now.toISOString().replace("T", " ").slice(0, 19)} UTC`],
    ["IP address", entry.origin.ip ?? "unknown"],
    ["Browser or app", clip(entry.origin.userAgent) || "unknown"],
  ];
}

const notice = (subject: string, paragraph: string, extra: Array<[string, string]> = []): Template => (entry, now) =>
  renderNotice({ subject, greeting, paragraphs: [paragraph], details: [...extra, ...where(entry, now)] });

/** Event type -> notice template (null: no notice for this occurrence). */
export const NOTICE_TEMPLATES: Partial<Record<AuditEventType, Template>> = {
  [AuditEventType.PASSWORD_CHANGED]: notice("Your password was changed", "The password of your account was just changed."),
  [AuditEventType.PASSWORD_RESET]: notice("Your password was reset", "The password of your account was just reset, and every session of the account was signed out."),
  [AuditEventType.EMAIL_CHANGE_REQUESTED]: notice(
    "Your e-mail address is being changed",
    `Someone asked to change the e-mail address of your account to ${PENDING_EMAIL}. The change happens only once the link sent to that address is followed; until then this address stays the account's.`,
  ),
  // Written before the row changes (ProfileService.adminUpdate), so it reaches the old verified
  // address; a confirmed change of one's own (the owner followed the link) needs no notice.
  [AuditEventType.EMAIL_CHANGED]: (entry, now) =>
    meta(entry).by === "ADMIN"
      ? notice(
          "An administrator changed your e-mail address",
          "An administrator just replaced the e-mail address of your account. This address no longer receives its mail or password resets.",
        )(entry, now)
      : null,
  [AuditEventType.TWO_FACTOR_DISABLED]: notice("Two-factor authentication was turned off", "Two-factor authentication was just turned off for your account."),
  [AuditEventType.PASSKEY_ADDED]: (entry, now) =>
    notice("A passkey was added to your account", "A new passkey was just added to your account; it can sign in without your password.", [
      ["Passkey", clip(meta(entry).name, 64) || "unnamed"],
    ])(entry, now),
  [AuditEventType.OAUTH_ACCOUNT_LINKED]: (entry, now) =>
    // A provider sign-up made the account itself: nothing was added to an existing one.
    meta(entry).via === "SIGN_UP"
      ? null
      : notice("A sign-in provider was linked to your account", "An account at a sign-in provider was just linked to your account; it can sign in as you.", [
          ["Provider", clip(meta(entry).provider, 40)],
        ])(entry, now),
  [AuditEventType.RECOVERY_CODES_REGENERATED]: notice(
    "New recovery codes were made",
    "New two-factor recovery codes were just made for your account; the old ones no longer work.",
  ),
  [AuditEventType.LOGIN_SUCCEEDED]: notice("New sign-in to your account", "Your account was just signed in to from a device it was not signed in from before."),
};

/** The KnownDevice keys of a sign-in: the one that decides whether it is known, and all to remember. */
export function deviceKeys(origin: AuditEntry["origin"]): { match: string; remember: string[] } {
  const agent = `u:${sha256(origin.userAgent ?? "")}`;
  if (!origin.device) return { match: agent, remember: [agent] };
  const cookie = `c:${sha256(origin.device.id)}`;
  return { match: origin.device.fromCookie ? cookie : agent, remember: [agent, cookie] };
}

/** A webhook deliveries CTE for an event, named `name`, written only when `when` holds (webhooks/). */
export type ConditionalDeliveries = (event: { type: "session.new_device"; data: Record<string, unknown> }, now: Date, name: string, when: Prisma.Sql) => Prisma.Sql;

export class SecurityNotices {
  constructor(
    private readonly mails: NoticeMailStore,
    private readonly devices: KnownDeviceStore,
    private readonly newDeviceDeliveries?: ConditionalDeliveries,
  ) {}

  /** For AuditService.statementListeners: the CTEs of an event's notice, or null. */
  statementPart(entry: AuditEntry, now: Date): Prisma.Sql | null {
    if (!entry.userId) return null;
    const template = NOTICE_TEMPLATES[entry.type];
    const mail = template?.(entry, now);
    if (!mail) return null;
    if (entry.type === AuditEventType.LOGIN_SUCCEEDED) return this.signInPart(entry.userId, entry, mail, now);
    return this.mails.part(entry.userId, mail, now);
  }

  /**
   * The device bookkeeping of a sign-in and its notice, in the sign-in's own statement (no
   * extra round trip on the hot path): the notice (and the webhook) only for a new device.
   */
  private signInPart(userId: string, entry: AuditEntry, mail: RenderedMail, now: Date): Prisma.Sql {
    const sessionId = entry.metadata?.sessionId;
    return this.devices.signInPart(userId, deviceKeys(entry.origin), now, KNOWN_DEVICES_PER_ACCOUNT, (isNew) => [
      this.mails.part(userId, mail, now, isNew),
      ...(this.newDeviceDeliveries
        ? [this.newDeviceDeliveries({ type: "session.new_device", data: { userId, sessionId } }, now, "new_device_deliveries", isNew)]
        : []),
    ]);
  }
}
