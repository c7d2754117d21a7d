// Writes docs/configuration.md from the table of environment variables (src/config/config-variables.ts),
// the rate-limit rules and the social sign-in presets, and .env.example (scripts/env-example.ts):
// `npm run docs:config`. Tests fail when either committed file differs from what is rendered.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../src/common/project-root";
import { CONFIG_VARIABLES } from "../src/config/config-variables";
import type { ConfigVariable } from "../src/config/variable-parsers";
import { PROVIDER_PRESETS } from "../src/config/provider-presets";
import { renderEnvExample } from "./env-example";
import { RATE_LIMIT_RULES, SERVICE_RATE_LIMITS, type RateLimitRule } from "../src/limits/rate-limit-rules";

/** What the limits a service counts itself are counted per (they carry no `by`). */
const SERVICE_LIMIT_SUBJECTS: Record<string, string> = {
  EMAIL_CHANGE: "account: e-mail changes one account may ask for (each mails the new address and notices the old)",
  EMAIL_CHANGE_RECIPIENT:
    "new address, whichever accounts ask: confirmation mails one address may receive (beyond it the request stands but no mail is sent, since an error would reveal other accounts' requests)",
  INVITATIONS: "organization, whoever sends them: invitations (inviteMember and resendInvitation) one organization may send",
  EMAIL_CODE_ADDRESS:
    "address, from any IP: sign-in code challenges (requestEmailCode) one address may get, counted alike for addresses without an account (beyond it RATE_LIMITED)",
  MAGIC_LINK_RECIPIENT:
    "address, whoever asks: sign-in links (requestMagicLink) one address may receive (beyond it the answer is still true but no mail is sent, alike for every address)",
};

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function subjectOf(rule: RateLimitRule): string {
  const who = rule.by === "ip" ? "IP" : "user (IP when signed out)";
  return rule.identityArgs?.length ? `${who} and ${rule.identityArgs.map((arg) => `\`${arg}\``).join(", ")}` : who;
}

function rateLimitTable(): string[] {
  const rows = Object.entries(RATE_LIMIT_RULES).flatMap(([field, rules]) =>
    rules.map((rule) => `| \`RATE_LIMIT_${rule.key}\` | \`${rule.defaultLimit}\` | \`${field}\` | ${cell(subjectOf(rule))} |`),
  );
  for (const limit of SERVICE_RATE_LIMITS) {
    const subject = SERVICE_LIMIT_SUBJECTS[limit.key];
    if (!subject) throw new Error(`scripts/config-reference.ts: say what RATE_LIMIT_${limit.key} is counted per (SERVICE_LIMIT_SUBJECTS)`);
    rows.push(`| \`RATE_LIMIT_${limit.key}\` | \`${limit.defaultLimit}\` | (counted in the database) | ${cell(subject)} |`);
  }
  return [
    "### Rate limits",
    "",
    "Each limit counts calls of one root field per client, alias by alias and operation by operation,",
    "atomically (in memory, or in Redis with `REDIS_URL`, so every process shares one count). Windows",
    "are fixed: a client's window starts with its first call, and the whole budget is back when it ends.",
    "Over a limit: `RATE_LIMITED` with `extensions.retryAfterSeconds` (until the window ends). \"IP\" is the client's IPv4",
    "address, or the /64 of its IPv6 address (one subscriber holds a whole /64); behind proxies set",
    "`TRUST_PROXY`. Identity arguments are compared case-insensitively.",
    "",
    "| variable | default | field | counted per |",
    "| --- | --- | --- | --- |",
    ...rows,
  ];
}

function presetTable(): string[] {
  return [
    "### Social sign-in presets",
    "",
    "`OIDC_PROVIDERS` entries with these ids need only `clientId`, `clientSecret` and `redirectUris`:",
    "",
    "| id | name | issuer | scopes |",
    "| --- | --- | --- | --- |",
    ...Object.entries(PROVIDER_PRESETS).map(
      ([id, preset]) =>
        `| \`${id}\` | ${preset.name} | ${preset.issuer ? `\`${preset.issuer}\`` : "none (OAuth 2 and its user API)"} | ${preset.scopes.map((scope) => `\`${scope}\``).join(", ")} |`,
    ),
  ];
}

/** The page, as committed. */
export function renderConfigReference(): string {
  const sections = new Map<string, string[]>();
  for (const [name, variable] of Object.entries(CONFIG_VARIABLES) as Array<[string, ConfigVariable<unknown>]>) {
    const rows = sections.get(variable.section) ?? [];
    rows.push(`| \`${name}\` | ${cell(variable.default)} | ${cell(variable.description)} |`);
    sections.set(variable.section, rows);
  }
  const lines = [
    "# Configuration",
    "",
    "<!-- Generated from src/config/config-variables.ts by `npm run docs:config`; edit the table there. -->",
    "",
    "Latchkey reads only environment variables, all of them in `src/config.ts`, at start, after reading",
    "a `.env` file in the working directory when there is one (see `ENV_FILE`; a variable set in the",
    "environment wins). `.env.example` lists every variable with its default. Bad values stop start-up",
    "with every problem at once, one line each naming the variable (exit code 2). Durations take units:",
    "`250ms`, `30s`, `10m`, `12h`, `30d` (or `0`). Booleans are `true`/`1`/`yes` or `false`/`0`/`no`.",
    "",
    "Sections: " + [...sections.keys()].map((section) => `[${section}](#${anchorOf(section)})`).join(", ") + ".",
  ];
  for (const [section, rows] of sections) {
    lines.push("", `## ${section}`, "", "| variable | default | meaning |", "| --- | --- | --- |", ...rows);
    if (section === "Abuse protection") lines.push("", ...rateLimitTable());
    if (section === "Social sign-in and passkeys") lines.push("", ...presetTable());
  }
  return lines.join("\n") + "\n";
}

/** GitHub's heading anchors: lower-case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");
}

if (require.main === module) {
  const files = { [path.join(projectRoot(), "docs", "configuration.md")]: renderConfigReference(), [path.join(projectRoot(), ".env.example")]: renderEnvExample() };
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
