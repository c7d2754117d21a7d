import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerVerifiedUser, uniqueName } from "./support/accounts";
import { addPasskey, beginLogin } from "./support/passkeys";

const TRANSPORTS = new Set(["usb", "nfc", "ble", "smart-card", "hybrid", "internal", "cable"]);

/** What an answer looks like without its values: keys in order, value types, id byte lengths, transports. */
function shapeOf(options: Record<string, unknown>) {
  const credentials = options.allowCredentials as Array<Record<string, unknown>>;
  return {
    keys: Object.keys(options),
    types: Object.fromEntries(Object.entries(options).map(([key, value]) => [key, Array.isArray(value) ? "array" : typeof value])),
    credentials: credentials.map((credential) => ({
      keys: Object.keys(credential),
      type: credential.type,
      idIsBase64url: /^[A-Za-z0-9_-]+$/.test(credential.id as string),
      transportsAreKnown: Array.isArray(credential.transports) && (credential.transports as string[]).every((t) => TRANSPORTS.has(t)),
    })),
  };
}

const idBytes = (credential: { id: string }) => Buffer.from(credential.id, "base64url").length;

// beginPasskeyLogin names an account's passkeys: its answer for an account that does not exist,
// or has no passkeys, must look like one for an account that has them.
describe.each(testDatabases)("passkey sign-in options as an account oracle on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("answers a real account with passkeys, one without and an unknown name in the same shape", async () => {
    const withPasskey = await registerVerifiedUser(server);
    await addPasskey(server, (await login(server, withPasskey.username)).accessToken);
    const withoutPasskey = await registerVerifiedUser(server);

    const real = await beginLogin(server, withPasskey.username);
    const none = await beginLogin(server, withoutPasskey.username);
    const unknown = await beginLogin(server, uniqueName("nobody"));

    const expected = shapeOf(real.options);
    expect(expected.credentials).toEqual([{ keys: ["id", "transports", "type"], type: "public-key", idIsBase64url: true, transportsAreKnown: true }]);
    for (const decoy of [none, unknown]) {
      const shape = shapeOf(decoy.options);
      expect(shape.keys).toEqual(expected.keys);
      expect(shape.types).toEqual(expected.types);
      expect(shape.credentials.length).toBeGreaterThanOrEqual(1);
      for (const credential of shape.credentials) expect(credential).toEqual(expected.credentials[0]);
      for (const credential of decoy.options.allowCredentials) {
        expect([16, 20, 32, 64]).toContain(idBytes(credential));
        expect(credential.transports.length).toBeGreaterThan(0);
      }
    }
    expect(real.options.allowCredentials[0].transports.length).toBeGreaterThan(0);
  });

  it("answers the same made-up passkeys each time for a name, in any case, and different ones for other names", async () => {
    const withoutPasskey = await registerVerifiedUser(server);
    const name = uniqueName("ghost");
    for (const identifier of [name, withoutPasskey.username]) {
      const first = await beginLogin(server, identifier);
      const again = await beginLogin(server, identifier.toUpperCase());
      expect(again.options.allowCredentials).toEqual(first.options.allowCredentials);
      expect(again.options.challenge).not.toBe(first.options.challenge);
    }

    // Across many names the made-up answers vary as real ones would: counts, id lengths, transports.
    const answers = await Promise.all(Array.from({ length: 40 }, () => beginLogin(server, uniqueName("ghost"))));
    const credentials = answers.flatMap((answer) => answer.options.allowCredentials as Array<{ id: string; transports: string[] }>);
    expect(new Set(credentials.map((credential) => credential.id)).size).toBe(credentials.length);
    const counts = new Set(answers.map((answer) => answer.options.allowCredentials.length));
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    expect(new Set(credentials.map(idBytes)).size).toBeGreaterThan(1);
    expect(new Set(credentials.map((credential) => credential.transports.join())).size).toBeGreaterThan(1);
  });
});
