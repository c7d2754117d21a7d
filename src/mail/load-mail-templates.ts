import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, type ConfigProblem } from "../config/config-error";
import { MailTemplates, PLACEHOLDER } from "./templates";
import {
  DEFAULT_MAIL_TEMPLATES,
  MAIL_TEMPLATE_NAMES,
  MAIL_TEMPLATE_PARTS,
  MAIL_TEMPLATE_PLACEHOLDERS,
  type MailTemplateName,
  type MailTemplatePart,
  type MailTemplateSource,
} from "./template-defaults";

const VARIABLE = "MAIL_TEMPLATES_DIR";
const FILE = /^(.+)\.(subject|txt|html)$/;

/** What is wrong with one template file, as sentences naming the file. */
function checkPart(file: string, name: MailTemplateName, part: MailTemplatePart, content: string): string[] {
  const { allowed, required } = MAIL_TEMPLATE_PLACEHOLDERS[name];
  const used = new Set([...content.matchAll(PLACEHOLDER)].map((match) => match[1]));
  const problems = [...used]
    .filter((placeholder) => !allowed.includes(placeholder))
    .map((placeholder) => `${VARIABLE}: ${file} has the unknown placeholder {{${placeholder}}}; ${name} knows ${allowed.map((p) => `{{${p}}}`).join(", ")}`);
  if (part !== "subject") {
    problems.push(...required.filter((placeholder) => !used.has(placeholder)).map((placeholder) => `${VARIABLE}: ${file} must contain {{${placeholder}}}`));
  }
  if (part === "subject" && content.trim().includes("\n")) problems.push(`${VARIABLE}: ${file} must be one line`);
  if (content.trim() === "") problems.push(`${VARIABLE}: ${file} is empty`);
  return problems;
}

/**
 * The mail templates, read once at start: the built-in ones, each part replaced by a file
 * `<name>.subject`, `<name>.txt` or `<name>.html` in `dir` when there is one. A file with an
 * unknown name or placeholder, or without a required placeholder, stops the start with a
 * ConfigError naming it (a typo would otherwise send the built-in text, or a mail without its link).
 */
export function loadMailTemplates(dir: string | undefined): MailTemplates {
  if (!dir) return new MailTemplates();
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (error) {
    throw new ConfigError(`${VARIABLE}: cannot read the folder ${dir} (${(error as NodeJS.ErrnoException).code ?? "error"})`, VARIABLE);
  }
  const sources = Object.fromEntries(MAIL_TEMPLATE_NAMES.map((name) => [name, { ...DEFAULT_MAIL_TEMPLATES[name] }])) as Record<MailTemplateName, MailTemplateSource>;
  const problems: ConfigProblem[] = [];
  const report = (problem: string) => problems.push({ variable: VARIABLE, problem });
  for (const file of files.sort()) {
    const match = FILE.exec(file);
    if (!match) continue; // a README or the like beside the templates
    const name = match[1] as MailTemplateName;
    const part = match[2] as MailTemplatePart;
    if (!MAIL_TEMPLATE_NAMES.includes(name)) {
      report(`${VARIABLE}: ${file} replaces no template; the templates are ${MAIL_TEMPLATE_NAMES.join(", ")} (parts ${MAIL_TEMPLATE_PARTS.map((p) => `.${p}`).join(", ")})`);
      continue;
    }
    let content: string;
    try {
      content = readFileSync(path.join(dir, file), "utf8");
    } catch (error) {
      report(`${VARIABLE}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      continue;
    }
    const found = checkPart(file, name, part, content);
    found.forEach(report);
    if (found.length === 0) sources[name][part] = part === "subject" ? content.trim() : content;
  }
  if (problems.length > 0) throw ConfigError.of(problems);
  return new MailTemplates(sources);
}
