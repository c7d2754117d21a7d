import { ConfigError, loadConfig } from "../src/config";
import { MICROSOFT_CONSUMERS_ISSUER } from "../src/oauth/provider-presets";

const REDIRECT = "https://app.example.com/oauth/callback";
const base = { clientId: "client-1", clientSecret: "secret-1", redirectUris: [REDIRECT] };

function load(providers: unknown, env: Record<string, string> = {}) {
  return loadConfig({
    NODE_ENV: "test",
    APP_SECRET: "test-secret-test-secret-test-secret-0123456789",
    OIDC_PROVIDERS: typeof providers === "string" ? providers : JSON.stringify(providers),
    ...env,
  }).oauthProviders;
}

function refusal(providers: unknown, env: Record<string, string> = {}): string {
  try {
    load(providers, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("OIDC_PROVIDERS", () => {
  it("is empty when unset or blank", () => {
    expect(load("")).toEqual([]);
    expect(loadConfig({ NODE_ENV: "test", APP_SECRET: "test-secret-test-secret-test-secret-0123456789" }).oauthProviders).toEqual([]);
  });

  it("fills name, issuer and scopes from the google, microsoft and github presets", () => {
    const [google, microsoft, github] = load([{ id: "google", ...base }, { id: "microsoft", ...base }, { id: "github", ...base }]);
    expect(google).toEqual({
      id: "google",
      name: "Google",
      kind: "oidc",
      issuer: "https://accounts.google.com",
      scopes: ["openid", "email", "profile"],
      ...base,
    });
    expect(microsoft).toMatchObject({ name: "Microsoft", kind: "oidc", issuer: MICROSOFT_CONSUMERS_ISSUER });
    expect(github).toMatchObject({ name: "GitHub", kind: "github", issuer: null, scopes: ["read:user", "user:email"] });
  });

  it("lets a preset's name, issuer (a Microsoft tenant) and scopes be overridden", () => {
    const tenant = "https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0";
    const [microsoft] = load([{ id: "microsoft", name: "Contoso", issuer: tenant, scopes: ["openid", "email"], ...base }]);
    expect(microsoft).toMatchObject({ name: "Contoso", issuer: tenant, scopes: ["openid", "email"] });
  });

  it("takes any OpenID issuer with a name, and allows http issuers outside production only", () => {
    const entry = { id: "corp", name: "Corp SSO", issuer: "http://127.0.0.1:9000/", ...base };
    expect(load([entry])[0]).toMatchObject({ id: "corp", kind: "oidc", issuer: "http://127.0.0.1:9000", scopes: ["openid", "email", "profile"] });
    expect(refusal([entry], { NODE_ENV: "production" })).toMatch(/OIDC_PROVIDERS\[0\] \("corp"\): "issuer" must use https in production/);
  });

  it.each([
    ["not JSON", "[{", /OIDC_PROVIDERS is not valid JSON/],
    ["not a list", { id: "google" }, /must be a JSON list/],
    ["an entry that is not an object", ["google"], /OIDC_PROVIDERS\[0\]: each provider must be a JSON object/],
    ["a bad id", [{ id: "Has Space", ...base }], /"id" must be 1 to 32 lower-case/],
    ["an unknown field", [{ id: "google", clientID: "x", ...base }], /unknown field "clientID"/],
    ["a missing client id", [{ id: "google", clientSecret: "s", redirectUris: [REDIRECT] }], /\("google"\): "clientId" must be a non-empty string/],
    ["a missing client secret", [{ id: "google", clientId: "c", redirectUris: [REDIRECT] }], /"clientSecret" must be a non-empty string/],
    ["no redirect URIs", [{ id: "google", clientId: "c", clientSecret: "s", redirectUris: [] }], /"redirectUris" must be a non-empty list/],
    ["a relative redirect URI", [{ id: "google", ...base, redirectUris: ["/callback"] }], /"redirectUris" is not an absolute URL/],
    ["a redirect URI with a query", [{ id: "google", ...base, redirectUris: [`${REDIRECT}?x=1`] }], /must not have a query or fragment/],
    ["a custom provider without an issuer", [{ id: "corp", name: "Corp", ...base }], /\("corp"\): "issuer" is required/],
    ["a custom provider without a name", [{ id: "corp", issuer: "https://sso.example.com", ...base }], /"name" must be a non-empty string/],
    ["scopes without openid", [{ id: "google", ...base, scopes: ["email"] }], /"scopes" must include "openid"/],
    ["a scope with a space", [{ id: "google", ...base, scopes: ["openid email"] }], /scope names without spaces/],
    ["an issuer for github", [{ id: "github", issuer: "https://github.com", ...base }], /GitHub has fixed endpoints/],
    ["Microsoft's multi-tenant endpoint", [{ id: "microsoft", issuer: "https://login.microsoftonline.com/common/v2.0", ...base }], /must name one Microsoft tenant/],
    ["a repeated id", [{ id: "google", ...base }, { id: "google", ...base }], /the id "google" appears twice/],
  ])("refuses %s with a ConfigError that says what is wrong", (_name, providers, message) => {
    expect(refusal(providers)).toMatch(message);
  });

  it("refuses plain-http redirect URIs in production except on localhost", () => {
    expect(refusal([{ id: "google", ...base, redirectUris: ["http://app.example.com/cb"] }], { NODE_ENV: "production" })).toMatch(
      /must use https in production/,
    );
    expect(load([{ id: "google", ...base, redirectUris: ["http://localhost:3000/cb"] }], { NODE_ENV: "production" })[0].redirectUris).toEqual([
      "http://localhost:3000/cb",
    ]);
  });
});
