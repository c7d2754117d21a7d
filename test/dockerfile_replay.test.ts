// The Dockerfile builds an image that serves: there is no container engine where this project is
// developed and tested, so the Dockerfile is replayed on this machine instead (see
// test/support/dockerfile-replay.ts for what is replayed and its limits): every stage in a
// scratch folder, COPY honouring .dockerignore, the RUN lines for real (npm ci included, from
// npm's cache or the registry). The final stage's CMD then runs against a fresh PostgreSQL
// database, and must migrate it, answer /readyz and let an account register and sign in. A
// Dockerfile or .dockerignore change that breaks the image fails here.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DockerfileReplay, removeScratch } from "./support/dockerfile-replay";
import { isIgnored, parseDockerignore } from "./support/dockerignore";
import { runInStage, startStageServer, type StageServer } from "./support/stage-process";
import { createPostgresDatabase } from "./support/databases";
import { LOGIN, ME, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";

const root = path.resolve(__dirname, "..");
const APP_SECRET = "image-replay-secret-".repeat(3);

describe(".dockerignore matching", () => {
  const rules = parseDockerignore(["# comment", "node_modules", "/dist", "*.log", "docs/**/*.png", "src/generated", "keep/*", "!keep/this.txt"].join("\n"));

  it("leaves out a named folder with everything under it, at the context's top only", () => {
    expect(isIgnored("node_modules", rules)).toBe(true);
    expect(isIgnored("node_modules/jest/package.json", rules)).toBe(true);
    expect(isIgnored("dist/src/main.js", rules)).toBe(true);
    expect(isIgnored("src/generated/prisma/client.ts", rules)).toBe(true);
    expect(isIgnored("src/dist/file.ts", rules)).toBe(false);
    expect(isIgnored("src/main.ts", rules)).toBe(false);
  });

  it("keeps * within one segment, lets ** cross folders, and lets a later ! re-include", () => {
    expect(isIgnored("server.log", rules)).toBe(true);
    expect(isIgnored("logs/server.log", rules)).toBe(false);
    expect(isIgnored("docs/a.png", rules)).toBe(true);
    expect(isIgnored("docs/a/b/c.png", rules)).toBe(true);
    expect(isIgnored("docs/a.md", rules)).toBe(false);
    expect(isIgnored("keep/other.txt", rules)).toBe(true);
    expect(isIgnored("keep/this.txt", rules)).toBe(false);
  });
});

describe("the replay", () => {
  // A tiny build context of its own: what the replay copies, maps and refuses.
  const folder = mkdtempSync(path.join(os.tmpdir(), "latchkey-replay-rules-"));
  const context = path.join(folder, "context");
  afterAll(() => removeScratch(folder));

  const replayOf = async (dockerfile: string) => {
    mkdirSync(path.join(context, "docs", "drafts"), { recursive: true });
    writeFileSync(path.join(context, "Dockerfile"), dockerfile);
    writeFileSync(path.join(context, ".dockerignore"), "docs/drafts\n*.log\n");
    writeFileSync(path.join(context, "docs", "guide.md"), "guide");
    writeFileSync(path.join(context, "docs", "drafts", "secret.md"), "draft");
    writeFileSync(path.join(context, "debug.log"), "log");
    const replay = new DockerfileReplay(context, mkdtempSync(path.join(folder, "scratch-")));
    await replay.build();
    return replay;
  };

  it("copies what COPY names minus what .dockerignore leaves out, and maps WORKDIR paths into the stage", async () => {
    const replay = await replayOf(
      ["FROM node:20-bookworm-slim AS one", "WORKDIR /srv", "COPY docs ./docs", "ARG WORD=ok", 'RUN mkdir -p /srv/made && echo "$WORD" > /srv/made/file',
        "FROM node:20-bookworm-slim", "ENV OUT=/srv/out", "COPY --from=one /srv/made ./copied", 'RUN mkdir -p "$OUT"'].join("\n"),
    );
    const [one, two] = replay.stages;
    expect(readFileSync(replay.hostPath(one, "/srv/docs/guide.md"), "utf8")).toBe("guide");
    expect(existsSync(replay.hostPath(one, "/srv/docs/drafts"))).toBe(false);
    expect(readFileSync(replay.hostPath(two, "/copied/file"), "utf8")).toBe("ok\n");
    expect(existsSync(replay.hostPath(two, "/srv/out"))).toBe(true);
  });

  it("fails a COPY of something .dockerignore leaves out of the context", async () => {
    await expect(replayOf("FROM node:20-bookworm-slim\nWORKDIR /srv\nCOPY debug.log ./")).rejects.toThrow(/not in the build context/);
  });

  it("refuses RUN lines that would reach outside the scratch folder", async () => {
    for (const run of ["mkdir -p /etc/latchkey", "cd .. && touch x", "apt-get install -y curl", "touch ~/x"]) {
      await expect(replayOf(`FROM node:20-bookworm-slim\nWORKDIR /srv\nRUN ${run}`)).rejects.toThrow(/not replayed/);
    }
    expect(existsSync("/etc/latchkey")).toBe(false);
  });

  it("refuses a base image whose Node is not the one it runs with", async () => {
    await expect(replayOf("FROM node:18-bookworm-slim\nWORKDIR /srv")).rejects.toThrow(/is not node:20/);
  });
});

describe("the Dockerfile, replayed", () => {
  const buildLog: string[] = [];
  let scratch: string | undefined;
  let replay: DockerfileReplay;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let server: StageServer | undefined;

  const inFinal = (imagePath: string) => replay.hostPath(replay.finalStage, imagePath);
  const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await fetch(`${server!.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: unknown[] };
  };

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), "latchkey-image-"));
    replay = new DockerfileReplay(root, scratch, (line) => buildLog.push(line));
    try {
      await replay.build();
    } catch (error) {
      const tail = buildLog.join("\n").split("\n").slice(-40).join("\n");
      throw new Error(`${(error as Error).message}\n--- replay log (last lines) ---\n${tail}`, { cause: error });
    }
    database = await createPostgresDatabase();
    const final = replay.finalStage;
    server = await startStageServer(replay, final, [...(final.entrypoint ?? []), ...(final.cmd ?? [])], {
      DATABASE_URL: database.url,
      APP_SECRET,
      HOST: "127.0.0.1",
      PORT: "0",
    });
    // npm ci dominates: about a minute on an idle machine with npm's cache warm, several under load.
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (scratch) await removeScratch(scratch);
  }, 300_000);

  it("builds every stage from node:20-bookworm-slim", () => {
    expect(replay.stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of replay.stages.filter((stage) => !replay.stages.some((earlier) => earlier.name === stage.image))) {
      expect(stage.image).toBe("node:20-bookworm-slim");
    }
  });

  it("runs as the unprivileged node user, with a health check on /readyz and the data folder a volume", () => {
    const final = replay.finalStage;
    expect(final.user).toBe("node");
    expect(final.healthcheck?.join(" ")).toContain("/readyz");
    expect(final.volumes).toContain(final.env.DATA_DIR);
    expect(final.env.NODE_ENV).toBe("production");
    expect(existsSync(inFinal(final.env.DATA_DIR))).toBe(true);
  });

  it("generates the Prisma client inside the build, not from the context, and leaves the example app out", () => {
    const build = replay.stages[0];
    expect(existsSync(replay.hostPath(build, "src/generated/prisma"))).toBe(true);
    expect(existsSync(replay.hostPath(build, "examples"))).toBe(false);
    expect(isIgnored("src/generated/prisma/client.ts", parseDockerignore(readFileSync(path.join(root, ".dockerignore"), "utf8")))).toBe(true);
  });

  it("keeps production dependencies and compiled code only in the final stage", () => {
    expect(existsSync(inFinal("dist/src/main.js"))).toBe(true);
    expect(existsSync(inFinal("prisma/migrations"))).toBe(true);
    expect(existsSync(inFinal("node_modules/@prisma/client"))).toBe(true);
    for (const devOnly of ["jest", "@swc/core", "eslint", "dependency-cruiser", "dockerfile-ast", "prisma"]) {
      expect([devOnly, existsSync(inFinal(`node_modules/${devOnly}`))]).toEqual([devOnly, false]);
    }
    for (const absent of ["src", "test", "examples", "bench", "scripts", ".env", "packages", "console/src", "console/node_modules"]) {
      expect([absent, existsSync(inFinal(absent))]).toEqual([absent, false]);
    }
  });

  it("migrates an empty database at start, answers /readyz and lets an account register and sign in", async () => {
    expect(server!.logs().some((line) => line.msg === "migrations applied")).toBe(true);
    const ready = await fetch(`${server!.url}/readyz`);
    expect(ready.status).toBe(200);

    const username = uniqueName("image");
    const registered = await gql(REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email: `${username}@example.com` } });
    expect(registered.errors).toBeUndefined();
    const signedIn = await gql(LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
    expect(signedIn.data.login.__typename).toBe("AuthPayload");
    const me = await gql(ME, {}, signedIn.data.login.accessToken);
    expect(me.data.me).toMatchObject({ username, role: "USER" });
  });

  it("serves the admin console's bundle at /admin, built in the image", async () => {
    const page = await fetch(`${server!.url}/admin/users`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const html = await page.text();
    const script = /<script type="module" crossorigin src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const bundle = await fetch(`${server!.url}${script}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("cache-control")).toContain("immutable");
    expect((await bundle.text()).length).toBeGreaterThan(1000);
  });

  it("has a HEALTHCHECK command that passes against the running server", async () => {
    const final = replay.finalStage;
    const port = new URL(server!.url).port;
    const result = await runInStage(replay, final, final.healthcheck!, { PORT: port });
    expect([result.code, result.output]).toEqual([0, ""]);
  });

  it("runs the operator commands as node dist/scripts/<name>.js", async () => {
    const final = replay.finalStage;
    const env = { DATABASE_URL: database!.url, APP_SECRET };
    const migrate = await runInStage(replay, final, ["node", "dist/scripts/migrate.js"], env);
    expect([migrate.code, migrate.output]).toEqual([0, expect.stringContaining("nothing to apply")]);

    const username = uniqueName("operator");
    const registered = await gql(REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email: null } });
    expect(registered.errors).toBeUndefined();
    const promote = await runInStage(replay, final, ["node", "dist/scripts/admin.js", "promote", username], env);
    expect([promote.code, promote.output]).toEqual([0, expect.stringContaining("role changed")]);
    const signedIn = await gql(LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
    const me = await gql(ME, {}, signedIn.data.login.accessToken);
    expect(me.data.me.role).toBe("ADMIN");

    const rotate = await runInStage(replay, final, ["node", "dist/scripts/rotate-keys.js"], env);
    expect(rotate.code).toBe(0);

    const help = await runInStage(replay, final, ["node", "dist/scripts/admin.js", "--help"], {});
    expect([help.code, help.output]).toEqual([0, expect.stringContaining("role <username> <role>")]);
  }, 120_000);
});
