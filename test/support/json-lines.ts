import type { Readable } from "node:stream";

/**
 * Calls `onLine` with each JSON object a process writes as a line on `stream` (its log lines);
 * lines that are not JSON are skipped. Chunks can end mid-line, so the tail waits for the rest.
 */
export function onJsonLines(stream: Readable, onLine: (line: Record<string, any>) => void): void {
  let partial = "";
  stream.on("data", (chunk: Buffer) => {
    const complete = (partial + chunk.toString()).split("\n");
    partial = complete.pop()!;
    for (const raw of complete) {
      let line: Record<string, any>;
      try {
        line = JSON.parse(raw);
      } catch {
        continue;
      }
      onLine(line);
    }
  });
}
