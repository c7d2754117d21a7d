/**
 * The one rule for characters that have no place in text people give us: control characters
 * (Unicode Cc: NUL, ESC, DEL, C1), invisible format and bidirectional controls (Cf: U+200B-U+200F,
 * U+202A-U+202E, U+2060-U+2069, U+FEFF, soft hyphen ...), and the line and paragraph separators
 * U+2028/U+2029. They make a name render as something else (U+202E turns "gpj.exe" around),
 * hide text, or break terminals and logs (ESC). NUL cannot be stored in PostgreSQL text at all.
 *
 * Where each applies: GraphQL input that people type is refused (profile text:
 * `unsafeCharacterIn`); text from elsewhere that we keep is cleaned (`withoutUnsafeCharacters`:
 * names from sign-in providers); what we only record is escaped so the record stays exact and
 * inert (`escapeUnsafeCharacters`: audit metadata); a NUL anywhere in a request is refused
 * before GraphQL runs (graphql/nul-guard.ts).
 */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const UNSAFE_EXCEPT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/u;
const UNSAFE_ALL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
/** Line breaks and tabs among them: a space where they separated words. */
const SPACING = /[\t\n\v\f\r\u0085\u2028\u2029]/g;

export function containsNul(text: string): boolean {
  return text.includes("\u0000");
}

/** The first unsafe character in `text` (newlines allowed when asked), or undefined. */
export function unsafeCharacterIn(text: string, options: { allowNewline?: boolean } = {}): string | undefined {
  return (options.allowNewline ? UNSAFE_EXCEPT_NEWLINE : UNSAFE).exec(text)?.[0];
}

/** `U+202E`: how messages name a character without printing it. */
export function codePointName(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The text with line breaks and tabs as spaces and every other unsafe character removed, spaces collapsed. */
export function withoutUnsafeCharacters(text: string): string {
  return text.replace(SPACING, " ").replace(UNSAFE_ALL, "").replace(/ {2,}/g, " ").trim();
}

/** Each unsafe character written out as `\u{202e}`: the text says what was sent, and does nothing. */
export function escapeUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_ALL, (character) => `\\u{${character.codePointAt(0)!.toString(16)}}`);
}

/** `escapeUnsafeCharacters` on every string (keys too) of a JSON-like value. */
export function escapeUnsafeCharactersDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return escapeUnsafeCharacters(value);
  if (value === null || typeof value !== "object" || depth > 32) return value;
  if (Array.isArray(value)) return value.map((item) => escapeUnsafeCharactersDeep(item, depth + 1));
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [escapeUnsafeCharacters(key), escapeUnsafeCharactersDeep(item, depth + 1)]));
}
