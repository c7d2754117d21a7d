import { ConfigError, loadConfig } from "../src/config";
import { RATE_LIMIT_KEYS, rateLimitsWithDefaults } from "../src/limits/rate-limit-rules";

const base = { NODE_ENV: "test", APP_SECRET: "test-secret-test-secret-test-secret-0123456789" };

// The configuration checks RATE_LIMIT_<KEY> values for their form without knowing the keys; the
// limits feature fills in every key it knows. Together they must give what one parser gave before.
describe("RATE_LIMIT_<KEY>", () => {
  it("gives every rule's default when nothing is set", () => {
    const limits = rateLimitsWithDefaults(loadConfig(base).rateLimitOverrides);
    expect(Object.keys(limits).sort()).toEqual([...RATE_LIMIT_KEYS].sort());
    expect(limits.LOGIN).toEqual({ max: 10, windowMs: 60_000 });
    expect(limits.EMAIL_CHANGE).toEqual({ max: 5, windowMs: 3_600_000 });
  });

  it("takes a set value, `off` as no limit, and an empty one as unset", () => {
    const config = loadConfig({ ...base, RATE_LIMIT_LOGIN: "3/1m", RATE_LIMIT_REGISTER: "OFF", RATE_LIMIT_REFRESH_SESSION: "" });
    const limits = rateLimitsWithDefaults(config.rateLimitOverrides);
    expect(limits.LOGIN).toEqual({ max: 3, windowMs: 60_000 });
    expect(limits.REGISTER).toBeNull();
    expect(limits.REFRESH_SESSION).toEqual({ max: 60, windowMs: 60_000 });
  });

  it.each([["10"], ["0/1m"], ["10/1y"], ["ten/1m"]])("stops start-up on %p, naming the variable", (value) => {
    expect(() => loadConfig({ ...base, RATE_LIMIT_LOGIN_IP: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, RATE_LIMIT_LOGIN_IP: value })).toThrow(/RATE_LIMIT_LOGIN_IP/);
  });
});
