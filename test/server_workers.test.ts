import { randomBytes } from "node:crypto";
import net from "node:net";
import { sharedStateEnv, startServerProcess, type ServerProcess } from "./support/server-process";
import { LOGIN, ME, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD } from "./support/accounts";

const post = async (url: string, query: string, variables: unknown = {}, token?: string) => {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ extensions: { code: string } }> };
};

const listeningPids = (server: ServerProcess) =>
  new Set(server.logs().filter((line) => line.msg === "Latchkey is listening").map((line) => line.pid as number));

/**
 * Opens a keep-alive connection, proves the server accepted it with one complete request, then
 * sends the headers and half the body of a `me` request. Returns a function that sends the rest
 * and resolves with the raw HTTP response.
 */
async function startHalfSentRequest(url: string, token: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let received = "";
  socket.on("data", (chunk) => (received += chunk));
  const readUntil = (done: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        socket.off("data", check);
        resolve();
      };
      socket.on("data", check);
      socket.once("error", reject);
      socket.once("close", () => (done() ? resolve() : reject(new Error(`connection closed:\n${received}`))));
    });
  socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
  await readUntil(() => received.includes('{"status":"ok"}'));
  received = "";
  const body = JSON.stringify({ query: "{ me { username } }" });
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\ncontent-type: application/json\r\n` +
      `authorization: Bearer ${token}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n` +
      body.slice(0, 10),
  );
  // Connection: close, so the server ends the connection once the response is written.
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return async () => {
    socket.write(body.slice(10));
    await closed;
    return received;
  };
}

// `npm start` with WORKERS=N runs N server processes on one port; nothing a request needs is
// kept in one of them alone, and stopping drains what is in flight.
describe("several server processes under one primary (WORKERS)", () => {
  let database: { env: Record<string, string>; drop: () => Promise<void> };
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await sharedStateEnv("workers");
    env = { ...database.env, WORKERS: "2" };
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
  });

  it("serves every request from either worker with one signing key and shared sessions", async () => {
    const server = await startServerProcess(env, { listening: 2 });
    try {
      expect(listeningPids(server).size).toBe(2);
      expect(listeningPids(server).has(server.child.pid!)).toBe(false);

      const username = `worker_${randomBytes(3).toString("hex")}`;
      await post(server.url, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
      const login = await post(server.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
      const token = login.data.login.accessToken as string;
      // Fresh connections are spread over both workers; each must accept the other's token.
      for (let i = 0; i < 8; i++) expect((await post(server.url, ME, {}, token)).data?.me.username).toBe(username);

      const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
      expect(jwks.keys).toHaveLength(1);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it("finishes a request in flight when told to stop, then every process exits cleanly", async () => {
    const server = await startServerProcess(env, { listening: 2 });
    const username = `drain_${randomBytes(3).toString("hex")}`;
    await post(server.url, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
    const token = (await post(server.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } })).data.login
      .accessToken as string;

    const finish = await startHalfSentRequest(server.url, token);
    server.child.kill("SIGTERM");
    await server.waitForLog((line) => line.msg === "shutting down");
    const response = await finish();
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain(`"username":"${username}"`);

    expect(await server.exited()).toBe(0);
    expect(server.logs().filter((line) => line.msg === "stopped")).toHaveLength(2);
    // Stopped means stopped: nothing answers on the port any more.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  }, 90_000);

  it("replaces a worker that dies and keeps answering meanwhile", async () => {
    const server = await startServerProcess(env, { listening: 2 });
    try {
      const before = listeningPids(server);
      const [victim] = [...before];
      process.kill(victim, "SIGKILL");
      const exited = await server.waitForLog((line) => line.msg === "worker exited");
      expect(exited).toMatchObject({ workerPid: victim, signal: "SIGKILL" });
      const replacement = await server.waitForLog((line) => line.msg === "Latchkey is listening" && !before.has(line.pid));
      expect(replacement.pid).not.toBe(victim);
      for (let i = 0; i < 4; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it("refuses WORKERS above 1 on the embedded database, which belongs to one process", async () => {
    const { DATABASE_URL: _ignored, ...embedded } = env;
    const attempt = startServerProcess({ ...embedded, DATABASE_URL: "" });
    await expect(attempt).rejects.toThrow(/WORKERS above 1 needs DATABASE_URL/);
    await expect(attempt).rejects.toThrow(/exited with 2/);
  }, 60_000);
});
