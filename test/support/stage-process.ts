// Runs a command of a replayed image stage (its CMD, its HEALTHCHECK, an operator command) in
// the stage's WORKDIR with the stage's environment, the way the container would run it.
import { spawn, type ChildProcess } from "node:child_process";
import type { DockerfileReplay, ReplayedStage } from "./dockerfile-replay";
import { onJsonLines } from "./json-lines";

export interface StageServer {
  url: string;
  /** Every JSON log line the process has written so far. */
  logs(): Array<Record<string, any>>;
  stop(): Promise<void>;
}

function spawnInStage(replay: DockerfileReplay, stage: ReplayedStage, argv: string[], env: Record<string, string>): ChildProcess {
  const words = argv.map((word) => replay.mapImagePaths(word, stage));
  return spawn(words[0], words.slice(1), {
    cwd: replay.hostPath(stage, stage.workdir),
    env: { ...replay.processEnv(stage), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs a command to its end: exit code and everything it printed. */
export function runInStage(
  replay: DockerfileReplay,
  stage: ReplayedStage,
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnInStage(replay, stage, argv, env);
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

/** Starts the server command and resolves once it logs "Latchkey is listening". */
export function startStageServer(
  replay: DockerfileReplay,
  stage: ReplayedStage,
  argv: string[],
  env: Record<string, string>,
  startTimeoutMs = 90_000,
): Promise<StageServer> {
  const child = spawnInStage(replay, stage, argv, env);
  const lines: Array<Record<string, any>> = [];
  let output = "";
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the image's command did not start:\n${output}`));
    }, startTimeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the image's command exited with ${code}:\n${output}`));
    });
    child.stdout!.on("data", (chunk) => (output += chunk));
    onJsonLines(child.stdout!, (line) => {
      lines.push(line);
      if (line.msg !== "Latchkey is listening") return;
      clearTimeout(timer);
      resolve({ url: (line.url as string).replace(/\/graphql$/, ""), logs: () => [...lines], stop });
    });
  });
}
