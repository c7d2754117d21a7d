import { base32Decode, hotp, totp } from "./support/otp";

// The tests' own authenticator must agree with the RFCs before its codes can judge the server.
describe("the tests' reference HOTP/TOTP implementation", () => {
  const rfcKey = Buffer.from("12345678901234567890", "ascii");

  it("produces RFC 4226 Appendix D's HOTP values for counters 0..9", () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(expected.map((_, counter) => hotp(rfcKey, counter))).toEqual(expected);
  });

  it.each([
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ])("produces RFC 6238 Appendix B's SHA-1 TOTP at T=%p", (time, code) => {
    expect(totp(rfcKey, time, 8)).toBe(code);
  });

  it("decodes base32 as RFC 4648 does", () => {
    expect(base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").toString("ascii")).toBe("12345678901234567890");
    expect(base32Decode("MZXW6YTBOI======").toString("ascii")).toBe("foobar");
  });
});
