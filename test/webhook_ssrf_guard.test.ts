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

  // Special-purpose blocks of the IANA registries, and IPv4 addresses embedded in IPv6 ones.
  it.each([
    ["::127.0.0.1", "IPv4-compatible (::/96) loopback"],
    ["::7f00:1", "IPv4-compatible, written in hex"],
    ["::8.8.8.8", "IPv4-compatible, even of a public address (deprecated)"],
    ["::ffff:0:7f00:1", "IPv4-translated (::ffff:0:0:0/96)"],
    ["::ffff:0:808:808", "IPv4-translated, public"],
    ["64:ff9b::7f00:1", "NAT64 well-known prefix embedding loopback"],
    ["64:ff9b::127.0.0.1", "NAT64 embedding loopback, dotted"],
    ["64:ff9b::a9fe:a9fe", "NAT64 embedding cloud metadata"],
    ["64:ff9b::c0a8:101", "NAT64 embedding 192.168.1.1"],
    ["64:ff9b:1::808:808", "local-use NAT64 (64:ff9b:1::/48)"],
    ["fec0::1", "site-local (fec0::/10)"],
    ["feff::1", "the rest of fec0::/10"],
    ["2002:7f00:1::1", "6to4 embedding loopback"],
    ["2002:808:808::1", "6to4 of a public address (deprecated, refused whole)"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo (2001::/32)"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation (3fff::/20)"],
    ["2001:2::1", "benchmarking"],
    ["2001:10::1", "ORCHID"],
    ["100::1", "discard-only (100::/64)"],
    ["5f00::1", "SRv6 SIDs"],
    ["4000::1", "outside global unicast"],
    ["fe80::1%eth0", "link-local with a zone"],
    ["ff02::1", "multicast"],
    ["192.0.2.1", "TEST-NET-1"],
    ["198.51.100.7", "TEST-NET-2"],
    ["203.0.113.9", "TEST-NET-3"],
    ["192.88.99.1", "6to4 relay anycast"],
    ["192.0.0.170", "NAT64 discovery"],
    ["198.19.0.1", "benchmarking"],
    ["192.31.196.1", "AS112"],
    ["192.175.48.1", "AS112 direct delegation"],
    ["192.52.193.1", "AMT"],
    ["239.255.255.250", "multicast"],
    ["250.1.2.3", "reserved"],
  ])("refuses %s (%s)", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each([
    ["64:ff9b::808:808", "NAT64 of a public address: how an IPv6-only network reaches it"],
    ["64:ff9b::8.8.8.8", "the same, dotted"],
    ["2a00:1450:4001:80b::200e", "global unicast"],
    ["2001:4860:4860::8888", "global unicast outside 2001::/23"],
    ["192.0.3.1", "next to TEST-NET-1"],
    ["198.20.0.1", "next to the benchmarking block"],
  ])("allows %s (%s)", (address) => {
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
    ["IPv4-compatible IPv6 loopback", "http://[::127.0.0.1]/hook"],
    ["IPv4-translated IPv6 loopback", "http://[::ffff:0:7f00:1]/hook"],
    ["NAT64 of cloud metadata", "http://[64:ff9b::169.254.169.254]/latest/meta-data"],
    ["local-use NAT64", "http://[64:ff9b:1::a00:5]/hook"],
    ["IPv6 site-local", "http://[fec0::1]/hook"],
    ["6to4 of a private address", "http://[2002:a00:5::1]/hook"],
    ["a documentation address", "http://192.0.2.10/hook"],
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
