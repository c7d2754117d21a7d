import { startTestServer, type TestServer } from "./support/test-server";

describe("security headers and browser rules", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", { env: { CORS_ORIGINS: "https://app.example" } });
  });
  afterAll(() => server.stop());

  it("sets nosniff, frame-ancestors none, a referrer policy and HSTS outside development", async () => {
    for (const path of ["/graphql?query=%7B__typename%7D", "/healthz", "/.well-known/jwks.json"]) {
      const response = await fetch(`${server.url}${path}`, { headers: { "apollo-require-preflight": "true" } });
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    }
  });

  it("refuses a text/plain POST without a preflight header", async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ passwordPolicy { minLength } }" }),
    });
    expect(response.status).toBe(400);
  });

  it("allows CORS_ORIGINS and PUBLIC_URL, and no other origin", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/graphql`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
    expect((await preflight("https://app.example")).headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect((await preflight("http://localhost:4000")).headers.get("access-control-allow-origin")).toBe("http://localhost:4000");
    expect((await preflight("https://other.example")).headers.get("access-control-allow-origin")).toBeNull();
  });
});
