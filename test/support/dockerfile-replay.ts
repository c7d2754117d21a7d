// Builds an image from a Dockerfile without a container engine: each stage gets a folder under a
// scratch folder standing for its `/`, and its instructions are carried out there in order.
//
// What is replayed: FROM (a `node:<major>` base must match this machine's Node major, since the
// RUN lines use it; FROM <earlier stage> starts from a copy of that stage), ARG with a default,
// ENV, WORKDIR, COPY from the build context (exactly the named files and folders, minus what
// .dockerignore leaves out of the context) and COPY --from=<stage>, RUN in shell form (`sh -c` in
// the stage's WORKDIR with its ENV and ARGs, plus this machine's PATH and HOME so `node`, `npm`
// and npm's cache resolve). USER, CMD, ENTRYPOINT, HEALTHCHECK, VOLUME and EXPOSE are recorded for
// the caller to check or run.
//
// Limits, each failing loudly rather than replaying something else: paths inside the image are
// mapped into the stage folder only under the top-level folders some WORKDIR names (`/app/data`
// becomes `<stage>/app/data`, in RUN text and ENV values alike); a RUN line naming any other
// absolute path, going up with `..`, naming the home folder, or running a package manager or user
// tool of the system is refused, so no RUN line touches this machine outside the scratch folder
// (RUN runs what it says: it is a check of this project's own Dockerfile, not a sandbox against a
// hostile one). `chown` is a no-op (the image's users do not exist here), so ownership is not
// replayed. No variable expansion in instructions other than RUN, no wildcards in COPY sources,
// no ADD, SHELL, ONBUILD, heredocs or RUN flags. The base image's own files are not there: what
// the image gets from it is this machine's Node and npm (Linux: folders are copied with `cp -a`).
import { spawn } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DockerfileParser, Arg, Copy, Env, From, Healthcheck, JSONInstruction, type Instruction } from "dockerfile-ast";
import { hasExceptions, isIgnored, parseDockerignore, type DockerignoreRule } from "./dockerignore";

export interface ReplayedStage {
  index: number;
  /** `FROM ... AS <name>`, if named. */
  name: string | null;
  /** The FROM image, as written. */
  image: string;
  /** The host folder standing for this stage's `/`. */
  root: string;
  /** WORKDIR, as a path inside the image. */
  workdir: string;
  /** ENV values, as written (paths inside the image). */
  env: Record<string, string>;
  /** ARG values: seen by RUN lines, not by the container's commands. */
  args: Record<string, string>;
  user: string | null;
  cmd: string[] | null;
  entrypoint: string[] | null;
  /** HEALTHCHECK CMD in exec form. */
  healthcheck: string[] | null;
  volumes: string[];
  exposed: string[];
}

/** System tools a RUN line could change this machine with (as root in CI), so never replayed. */
const REFUSED_COMMANDS = ["apt-get", "apt", "apk", "dpkg", "yum", "dnf", "useradd", "adduser", "groupadd", "addgroup", "usermod", "chroot", "sudo", "su"];

export class DockerfileReplay {
  readonly stages: ReplayedStage[] = [];
  private readonly instructions: Instruction[];
  private readonly ignoreRules: DockerignoreRule[];
  /** Top-level folders of the image that are mapped into a stage's folder (from WORKDIRs). */
  private readonly mappedRoots: string[];
  /** ARGs before the first FROM: a stage sees one only when it declares it again. */
  private readonly globalArgs: Record<string, string> = {};

  constructor(
    private readonly contextDir: string,
    private readonly scratchDir: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    const dockerfile = DockerfileParser.parse(readFileSync(path.join(contextDir, "Dockerfile"), "utf8"));
    this.instructions = dockerfile.getInstructions();
    const ignoreFile = path.join(contextDir, ".dockerignore");
    this.ignoreRules = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, "utf8")) : [];
    const roots = this.instructions
      .filter((instruction) => instruction.getKeyword() === "WORKDIR")
      .map((instruction) => this.absoluteImagePath(instruction.getArgumentsContent() ?? "", "/").split("/")[1])
      .filter(Boolean);
    this.mappedRoots = [...new Set(roots)].map((root) => `/${root}`);
  }

  get finalStage(): ReplayedStage {
    return this.stages[this.stages.length - 1];
  }

  /** Where a path inside the stage's image lies on this machine. */
  hostPath(stage: ReplayedStage, imagePath: string): string {
    return path.join(stage.root, this.absoluteImagePath(imagePath, stage.workdir));
  }

  /** The stage's ENV (and ARGs, for RUN) with image paths mapped, over this machine's PATH and HOME. */
  processEnv(stage: ReplayedStage, options: { withArgs?: boolean } = {}): Record<string, string> {
    const env: Record<string, string> = { PATH: hostPath(), HOME: process.env.HOME ?? "/root" };
    if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
    const values = options.withArgs ? { ...stage.args, ...stage.env } : stage.env;
    for (const [name, value] of Object.entries(values)) env[name] = this.mapImagePaths(value, stage);
    return env;
  }

  /** Image paths in `text` (under the mapped folders) rewritten to the stage's folder. */
  mapImagePaths(text: string, stage: ReplayedStage): string {
    let mapped = text;
    for (const root of this.mappedRoots) {
      const pattern = new RegExp(`(^|[\\s"'=:;(])${escapeRegex(root)}(?=$|[/\\s"';&|)])`, "g");
      mapped = mapped.replace(pattern, (_all, before: string) => `${before}${path.join(stage.root, root)}`);
    }
    return mapped;
  }

  /** Carries out every instruction, stage by stage. */
  async build(): Promise<void> {
    let stage: ReplayedStage | null = null;
    for (const instruction of this.instructions) {
      const keyword = instruction.getKeyword();
      const where = `Dockerfile line ${instruction.getRange().start.line + 1} (${keyword})`;
      if (keyword === "FROM") {
        stage = await this.startStage(instruction as From, where);
        continue;
      }
      if (!stage) {
        if (keyword !== "ARG") throw new Error(`${where}: only ARG may come before the first FROM`);
        Object.assign(this.globalArgs, this.argOf(instruction as Arg, where));
        continue;
      }
      this.log(`[${stage.name ?? stage.index}] ${keyword} ${instruction.getArgumentsContent() ?? ""}`);
      switch (keyword) {
        case "ARG":
          Object.assign(stage.args, this.argOf(instruction as Arg, where));
          break;
        case "ENV":
          for (const property of (instruction as Env).getProperties()) {
            const value = property.getValue() ?? "";
            refuseVariables(value, where);
            stage.env[property.getName()] = value;
          }
          break;
        case "WORKDIR": {
          const value = instruction.getArgumentsContent() ?? "";
          refuseVariables(value, where);
          stage.workdir = this.absoluteImagePath(value, stage.workdir);
          mkdirSync(this.hostPath(stage, stage.workdir), { recursive: true });
          break;
        }
        case "COPY":
          await this.copy(stage, instruction as Copy, where);
          break;
        case "RUN":
          await this.run(stage, instruction as JSONInstruction, where);
          break;
        case "USER":
          stage.user = instruction.getArgumentsContent();
          break;
        case "CMD":
          stage.cmd = execForm(instruction as JSONInstruction, where);
          break;
        case "ENTRYPOINT":
          stage.entrypoint = execForm(instruction as JSONInstruction, where);
          break;
        case "HEALTHCHECK":
          stage.healthcheck = healthcheckOf(instruction as Healthcheck, where);
          break;
        case "VOLUME":
          stage.volumes.push(...jsonOrWords(instruction as JSONInstruction));
          break;
        case "EXPOSE":
          stage.exposed.push(...instruction.getArguments().map((argument) => argument.getValue()));
          break;
        case "LABEL":
        case "STOPSIGNAL":
          break;
        default:
          throw new Error(`${where}: the replay does not support ${keyword}`);
      }
    }
    if (!stage) throw new Error("Dockerfile has no FROM");
  }

  private async startStage(from: From, where: string): Promise<ReplayedStage> {
    const image = from.getImage() ?? "";
    refuseVariables(image, where);
    if (from.getPlatformFlag()) throw new Error(`${where}: --platform is not replayed`);
    const index = this.stages.length;
    const root = path.join(this.scratchDir, `stage-${index}`);
    const parent = this.stages.find((stage) => stage.name === image);
    const base: Omit<ReplayedStage, "index" | "name" | "image" | "root"> = parent
      ? { ...parent, env: { ...parent.env }, args: {}, volumes: [...parent.volumes], exposed: [...parent.exposed] }
      : { workdir: "/", env: {}, args: {}, user: null, cmd: null, entrypoint: null, healthcheck: null, volumes: [], exposed: [] };
    if (parent) await copyFolder(parent.root, root);
    else {
      const major = /^node:(\d+)(?:[-.]|$)/.exec(image)?.[1];
      const hostMajor = process.versions.node.split(".")[0];
      if (major !== hostMajor) throw new Error(`${where}: base image ${image} is not node:${hostMajor}, the Node the replay runs with`);
      mkdirSync(root, { recursive: true });
    }
    const stage: ReplayedStage = { ...base, index, name: from.getBuildStage(), image, root };
    this.stages.push(stage);
    this.log(`[${stage.name ?? index}] FROM ${image}`);
    return stage;
  }

  private argOf(arg: Arg, where: string): Record<string, string> {
    const property = arg.getProperty();
    if (!property) return {};
    const value = property.getValue() ?? this.globalArgs[property.getName()] ?? null;
    if (value === null) return {};
    refuseVariables(value, where);
    return { [property.getName()]: value };
  }

  private async copy(stage: ReplayedStage, copy: Copy, where: string): Promise<void> {
    if (copy.getHeredocs().length) throw new Error(`${where}: heredocs are not replayed`);
    let fromStage: ReplayedStage | null = null;
    for (const flag of copy.getFlags()) {
      const name = flag.getName();
      if (name === "from") {
        const value = flag.getValue() ?? "";
        fromStage = this.stages.find((candidate) => candidate.name === value || String(candidate.index) === value) ?? null;
        if (!fromStage || fromStage === stage) throw new Error(`${where}: --from=${value} names no earlier stage`);
      } else if (name !== "chown" && name !== "chmod" && name !== "link") {
        throw new Error(`${where}: COPY --${name} is not replayed`);
      }
    }
    const json = copy.getJSONStrings().map((value) => value.getJSONValue());
    const words = json.length ? json : copy.getArguments().map((argument) => argument.getValue());
    if (words.length < 2) throw new Error(`${where}: COPY needs a source and a destination`);
    for (const word of words) refuseVariables(word, where);
    const sources = words.slice(0, -1);
    const destination = words[words.length - 1];
    const intoFolder = destination.endsWith("/") || sources.length > 1;
    const target = this.hostPath(stage, destination);
    for (const source of sources) {
      if (/[*?[]/.test(source)) throw new Error(`${where}: wildcards in COPY sources are not replayed`);
      if (fromStage) {
        const from = this.hostPath(fromStage, this.absoluteImagePath(source, "/"));
        if (!existsSync(from)) throw new Error(`${where}: ${source} does not exist in stage ${fromStage.name ?? fromStage.index}`);
        if (lstatSync(from).isDirectory()) await copyFolder(from, target);
        else copyFile(from, target, intoFolder);
      } else {
        const relative = path.posix.normalize(source.replace(/^\/+/, "")).replace(/\/+$/, "");
        if (relative.startsWith("..")) throw new Error(`${where}: ${source} is outside the build context`);
        const from = path.join(this.contextDir, relative);
        const sent = {
          keep: (hostFile: string) => {
            const inContext = path.relative(this.contextDir, hostFile).split(path.sep).join("/");
            return inContext === "" || !isIgnored(inContext, this.ignoreRules);
          },
          descendIntoIgnored: hasExceptions(this.ignoreRules),
        };
        if (!existsSync(from) || !copyFromContext(from, target, intoFolder, sent)) {
          throw new Error(`${where}: ${source} is not in the build context (missing, or left out by .dockerignore)`);
        }
      }
    }
  }

  private async run(stage: ReplayedStage, run: JSONInstruction, where: string): Promise<void> {
    if (run.getFlags().length) throw new Error(`${where}: RUN flags are not replayed`);
    if ((run as unknown as { getHeredocs(): unknown[] }).getHeredocs().length) throw new Error(`${where}: heredocs are not replayed`);
    if (run.getJSONStrings().length) throw new Error(`${where}: RUN in exec form is not replayed`);
    const text = run.getArgumentsContent() ?? "";
    for (const command of REFUSED_COMMANDS) {
      if (new RegExp(`(^|[\\s;&|(])${escapeRegex(command)}(?=$|\\s)`).test(text)) throw new Error(`${where}: ${command} would change this machine; not replayed`);
    }
    if (/(^|[\s"'=:/])\.\.(?=$|[/\s"';&|)])/.test(text)) throw new Error(`${where}: a path with .. could leave the stage folder; not replayed`);
    // HOME is this machine's (npm's cache lives there), so the image's home cannot be replayed.
    if (/(^|[\s"'=:])~|\$\{?HOME\b/.test(text)) throw new Error(`${where}: the home folder is this machine's; not replayed`);
    const mapped = this.mapImagePaths(text, stage);
    const outside = /(^|[\s"'=:;(])(\/[^\s"';&|)]*)/g;
    for (const match of mapped.matchAll(outside)) {
      if (!match[2].startsWith(stage.root + "/") && match[2] !== stage.root) {
        throw new Error(`${where}: ${match[2]} is outside the folders the replay maps (${this.mappedRoots.join(", ")}); not replayed`);
      }
    }
    // The image's users do not exist here, and ownership is not what the replay checks.
    const script = `chown() { :; }\n${mapped}`;
    const cwd = this.hostPath(stage, stage.workdir);
    mkdirSync(cwd, { recursive: true });
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn("sh", ["-c", script], { cwd, env: this.processEnv(stage, { withArgs: true }), stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.once("error", reject);
      child.once("close", resolve);
    });
    const printed = output.join("");
    this.log(printed);
    if (code !== 0) throw new Error(`${where}: \`${text}\` exited with ${code}:\n${printed.split("\n").slice(-60).join("\n")}`);
  }

  private absoluteImagePath(value: string, workdir: string): string {
    return path.posix.resolve(workdir, value);
  }
}

interface ContextFilter {
  keep(hostFile: string): boolean;
  /** A `!` rule may re-include something inside an ignored folder, so look inside anyway. */
  descendIntoIgnored: boolean;
}

/**
 * Copies a file, or a folder's contents, from the build context to `target`, leaving out what
 * .dockerignore leaves out of the context. False when nothing of it is in the context.
 */
function copyFromContext(from: string, target: string, intoFolder: boolean, filter: ContextFilter): boolean {
  const kept = filter.keep(from);
  if (!lstatSync(from).isDirectory()) {
    if (kept) copyFile(from, target, intoFolder);
    return kept;
  }
  if (!kept && !filter.descendIntoIgnored) return false;
  if (kept) mkdirSync(target, { recursive: true });
  let copied = kept;
  for (const entry of readdirSync(from)) {
    if (copyFromContext(path.join(from, entry), path.join(target, entry), false, filter)) copied = true;
  }
  return copied;
}

/**
 * A folder's contents merged into `target`, symlinks kept as they are. GNU cp, because
 * node_modules is tens of thousands of files and fs.cpSync walks them in JavaScript.
 */
async function copyFolder(from: string, target: string): Promise<void> {
  mkdirSync(target, { recursive: true });
  await command("cp", ["-a", "--", `${from}/.`, target]);
}

/** Removes the scratch folder (rm -rf: for the same reason as copyFolder). */
export async function removeScratch(folder: string): Promise<void> {
  await command("rm", ["-rf", "--", folder]);
}

function command(name: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(name, args, { stdio: ["ignore", "ignore", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk) => (errors += chunk));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`${name} ${args.join(" ")} exited with ${code}: ${errors}`))));
  });
}

/** COPY of one file: into `target` when it names a folder (ends in `/`, or already is one). */
function copyFile(from: string, target: string, intoFolder: boolean): void {
  const file = intoFolder || (existsSync(target) && statSync(target).isDirectory()) ? path.join(target, path.basename(from)) : target;
  mkdirSync(path.dirname(file), { recursive: true });
  cpSync(from, file, { verbatimSymlinks: true });
}

function execForm(instruction: JSONInstruction, where: string): string[] {
  const json = instruction.getJSONStrings().map((value) => value.getJSONValue());
  if (!json.length) throw new Error(`${where}: only the exec (JSON) form is replayed`);
  return json;
}

function healthcheckOf(instruction: Healthcheck, where: string): string[] | null {
  const subcommand = instruction.getSubcommand()?.getValue();
  if (subcommand === "NONE") return null;
  if (subcommand !== "CMD") throw new Error(`${where}: HEALTHCHECK needs CMD or NONE`);
  const content = instruction.getArgumentsContent() ?? "";
  const json = content.slice(content.indexOf("CMD") + 3).trim();
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === "string")) throw new Error(`${where}: HEALTHCHECK CMD must be a JSON list of strings`);
  return parsed;
}

function jsonOrWords(instruction: JSONInstruction): string[] {
  const json = instruction.getJSONStrings().map((value) => value.getJSONValue());
  return json.length ? json : instruction.getArguments().map((argument) => argument.getValue());
}

function refuseVariables(value: string, where: string): void {
  if (value.includes("$")) throw new Error(`${where}: variable expansion is not replayed (${value})`);
}

/** This machine's PATH without node_modules/.bin folders an npm script run put in front. */
function hostPath(): string {
  return (process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin")
    .split(path.delimiter)
    .filter((entry) => entry && !entry.includes(`node_modules${path.sep}.bin`) && !entry.includes("node-gyp-bin"))
    .join(path.delimiter);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
