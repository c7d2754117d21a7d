import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { CREATE_ENDPOINT, startWebhookReceiver, type WebhookReceiver } from "./support/webhooks";
import { WebhookUrlGuard, isPrivateAddress } from "../src/webhooks/webhook-url-guard";
import { SecretBox } from "../src/common/secret-box";

describe("private address detection", () => {
  it.each([
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fc00::5", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:7f00:1", "::ffff:a9fe:a9fe", "not-an-ip",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "::ffff:808:808"])("allows %s", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it("refuses a name that resolves privately at connect time (the lookup used for delivery)", async () => {
    const lookup = new WebhookUrlGuard(false).lookup;
    const outcome = await new Promise<unknown>((resolve) => lookup("localhost", {}, (error, address) => resolve(error ?? address)));
    expect(String(outcome)).toMatch(/private address/);
    const allowed = await new Promise<unknown>((resolve) => new WebhookUrlGuard(true).lookup("localhost", {}, (error, address) => resolve(error ?? address)));
    expect(String(allowed)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});

describe.each(testDatabases)("webhook SSRF guard on %s (WEBHOOK_ALLOW_PRIVATE unset)", (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ...ADMIN_ENV, WEBHOOK_POLL_INTERVAL: "1h" } });
    receiver = await startWebhookReceiver();
    token = await adminToken(server);
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.stop();
  });

  it.each([
    ["loopback", "http://127.0.0.1:8080/hook"],
    ["a name for loopback", "http://localhost:8080/hook"],
    ["cloud metadata (link-local)", "http://169.254.169.254/latest/meta-data"],
    ["a private network", "https://10.0.0.5/hook"],
    ["IPv6 loopback", "http://[::1]:8080/hook"],
    ["IPv4-mapped IPv6 loopback", "http://[::ffff:127.0.0.1]/hook"],
    ["a scheme other than http(s)", "ftp://93.184.216.34/hook"],
    ["a file URL", "file:///etc/passwd"],
    ["credentials in the URL", "https://user:pass@93.184.216.34/hook"],
    ["something that is not a URL", "not a url"],
  ])("refuses %s", async (_name, url) => {
    const { body } = await server.gql(CREATE_ENDPOINT, { url, events: ["user.created"] }, { token });
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "url" });
    expect(await server.app.database.prisma.webhookEndpoint.count({ where: { url: { contains: url.slice(0, 12) } } })).toBe(0);
  });

  it("accepts a public address and refuses to move an endpoint to a private one", async () => {
    const { body } = await server.gql(CREATE_ENDPOINT, { url: "https://93.184.216.34/hooks", events: ["user.created"] }, { token });
    expect(body.data.createWebhookEndpoint.endpoint).toMatchObject({ url: "https://93.184.216.34/hooks", enabled: true });
    const id = body.data.createWebhookEndpoint.endpoint.id;
    const moved = await server.gql(`mutation U($id: ID!) { updateWebhookEndpoint(id: $id, url: "http://127.0.0.1/") { url } }`, { id }, { token });
    expect(moved.body.errors?.[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "url" });
    await server.gql(`mutation D($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id }, { token });
  });

  it("checks again when delivering: an endpoint that now points at a private address gets nothing", async () => {
    // As if the endpoint's name resolved publicly when it was saved and privately now.
    const endpoint = await server.app.database.prisma.webhookEndpoint.create({
      data: {
        url: receiver.url,
        events: ["user.updated"],
        secretEncrypted: new SecretBox(server.app.config.appSecret, "webhook-secrets").seal(`whsec_${Buffer.alloc(32, 1).toString("base64")}`),
      },
    });
    await server.app.services.webhooks.events.write(server.app.database.prisma, { type: "user.updated", data: { userId: "u1", changedFields: ["name"] } });
    expect(await server.app.services.webhooks.deliverer.runOnce()).toMatchObject({ delivered: 0, retrying: 1 });
    expect(receiver.received).toHaveLength(0);
    const row = await server.app.database.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row.lastError).toMatch(/refused/);
  });
});
