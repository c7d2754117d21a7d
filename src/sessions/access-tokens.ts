import { randomUUID } from "node:crypto";
import { SignJWT, jwtVerify, decodeProtectedHeader } from "jose";
import type { Clock } from "../common/clock";
import { SIGNING_ALG, type SigningKeys } from "./signing-keys";
import { VerifiedTokenCache } from "./verified-token-cache";

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  jti: string;
  role: string;
  iat: number;
  exp: number;
}

const CLOCK_SKEW_SECONDS = 5;

/** Signs and verifies access JWTs: EdDSA only, kid in the header, iss and aud checked. */
export class AccessTokens {
  private readonly verified = new VerifiedTokenCache<AccessTokenClaims>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  async sign(input: { userId: string; sessionId: string; role: string; lifetimeSeconds: number }) {
    const key = this.keys.currentKey();
    if (!key) throw new Error("no signing key loaded");
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + input.lifetimeSeconds;
    const jti = randomUUID();
    const token = await new SignJWT({ sid: input.sessionId, role: input.role })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: "JWT" })
      .setSubject(input.userId)
      .setJti(jti)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);
    return { token, jti, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid token, or undefined for anything else (never throws). */
  async verify(token: string): Promise<AccessTokenClaims | undefined> {
    const known = this.verified.get(token);
    if (known) {
      if (known.exp + CLOCK_SKEW_SECONDS > this.clock.now().getTime() / 1000) return known;
      this.verified.delete(token);
      return undefined;
    }
    try {
      const { kid, alg } = decodeProtectedHeader(token);
      if (alg !== SIGNING_ALG || typeof kid !== "string") return undefined;
      const key = await this.keys.publicKey(kid);
      if (!key) return undefined;
      const { payload } = await jwtVerify(token, key, {
        algorithms: [SIGNING_ALG],
        issuer: this.issuer,
        audience: this.audience,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: this.clock.now(),
        requiredClaims: ["sub", "sid", "jti", "exp", "iat"],
      });
      if (typeof payload.sid !== "string") return undefined;
      const claims = payload as unknown as AccessTokenClaims;
      this.verified.set(token, claims);
      return claims;
    } catch {
      return undefined;
    }
  }
}
