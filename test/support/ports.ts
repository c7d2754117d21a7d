import { readFileSync } from "node:fs";
import net from "node:net";

/**
 * A free local port for a server that starts later (tests of "down, then up"). Taken below the
 * kernel's ephemeral range: a port handed out by listening on port 0 comes from that range, and
 * between its release and the later listen any outgoing connection (to PostgreSQL, Redis, the
 * server under test) may get it as its own local port, and the listen then fails (seen in CI).
 */
export async function freePort(): Promise<number> {
  const ephemeralLow = ephemeralRangeStart();
  const low = 10_000;
  const high = Math.max(low + 1_000, ephemeralLow) - 1;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    const probe = net.createServer();
    const bound = await new Promise<boolean>((resolve) => {
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (!bound) continue;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }
  throw new Error("no free port below the ephemeral range");
}

/** Where the kernel starts handing out ports for outgoing connections (Linux; 32768 elsewhere). */
function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
}
