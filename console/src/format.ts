/** A date-time for tables: the reader's locale, to the minute. */
export function when(value: string | null | undefined): string {
  if (!value) return "–";
  return new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A value for an <input type="datetime-local">, from an ISO string. */
export function toLocalInput(value: string | null | undefined): string {
  if (!value) return "";
  const date = new Date(value);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** An ISO string from an <input type="datetime-local"> value (the reader's time zone); undefined when empty. */
export function fromLocalInput(value: string): string | undefined {
  return value ? new Date(value).toISOString() : undefined;
}
