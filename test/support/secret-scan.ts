// Every secret a test sends to the server or gets back from it is remembered here; when the
// server stops, its whole log is searched for them. A hit fails the suite: passwords, secret
// passkeys, tokens, TOTP secrets and recovery codes must never be logged, at any level.

/** Fields whose values are secrets, in variables, inputs and responses. */
const SECRET_FIELDS = new Set([
  "password",
  "newPassword",
  "currentPassword",
  "secretPasskey",
  "token",
  "accessToken",
  "refreshToken",
  "challengeToken",
  "secret",
  "clientSecret",
  "client_secret",
  "otpauthUrl",
  "codes",
  "code",
]);

/** Shorter values (a six-digit TOTP code) would match timestamps and ids by chance. */
const MIN_LENGTH = 8;

export class SecretScan {
  private readonly secrets = new Map<string, string>();

  add(kind: string, value: unknown): void {
    if (typeof value === "string" && value.length >= MIN_LENGTH) this.secrets.set(value, kind);
    else if (Array.isArray(value)) for (const item of value) this.add(kind, item);
  }

  /** Walks variables or a response body and remembers every secret field's value. */
  collect(value: unknown): void {
    if (Array.isArray(value)) {
      for (const item of value) this.collect(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    for (const [key, field] of Object.entries(value)) {
      if (SECRET_FIELDS.has(key)) this.add(key, field);
      else this.collect(field);
    }
  }

  /** Cookie values the server set (session cookies carry tokens). */
  collectCookies(headers: Headers): void {
    for (const cookie of headers.getSetCookie()) {
      const value = cookie.split(";")[0].split("=").slice(1).join("=");
      this.add("cookie", decodeURIComponent(value));
    }
  }

  /** The kinds of secret found in `log`, never the secrets themselves. */
  leaksIn(log: string): string[] {
    const found = new Set<string>();
    for (const [secret, kind] of this.secrets) {
      if (log.includes(secret) || log.includes(JSON.stringify(secret).slice(1, -1))) found.add(kind);
    }
    return [...found];
  }

  get size(): number {
    return this.secrets.size;
  }

  /** The kinds of secret remembered so far. */
  kinds(): Set<string> {
    return new Set(this.secrets.values());
  }
}
