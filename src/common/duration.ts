const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "30s", "10m", "12h", "30d", "250ms" or "0" into milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(trimmed);
  if (!match) throw new Error(`"${text}" is not a duration (use units: 30s, 10m, 12h, 30d)`);
  return Number(match[1]) * UNITS[match[2]];
}
