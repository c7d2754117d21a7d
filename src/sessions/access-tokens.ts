import { KeyObject, randomUUID, sign } from "node:crypto";
import { jwtVerify, decodeProtectedHeader } from "jose";
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
  /** In an impersonated session, the acting ADMIN (RFC 8693 actor claim). */
  act?: { sub: string };
}

const CLOCK_SKEW_SECONDS = 5;

const base64url = (json: object) => Buffer.from(JSON.stringify(json)).toString("base64url");

/** Signs and verifies access JWTs: EdDSA only, kid in the header, iss and aud checked. */
export class AccessTokens {
  private readonly verified = new VerifiedTokenCache<AccessTokenClaims>();
  /** node:crypto handles of the signing keys, made once per key. */
  private readonly signingKeyObjects = new WeakMap<CryptoKey, KeyObject>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  /** `actorId`: the ADMIN acting in an impersonated session, written as the `act` claim (RFC 8693). */
  sign(input: { userId: string; sessionId: string; role: string; lifetimeSeconds: number; actorId?: string; organization?: { id: string; role: string } | null }) {
    const key = this.keys.currentKey();
    if (!key) throw new Error("no signing key loaded");
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + input.lifetimeSeconds;
    const jti = randomUUID();
    const claims = {
      sid: input.sessionId, role: input.role, sub: input.userId, jti, iss: this.issuer, aud: this.audience, iat, exp,
      // The session's active organization (setActiveOrganization): informative for the client and
      // resource servers; this API authorizes inside an organization from the database.
      ...(input.organization ? { org_id: input.organization.id, org_role: input.organization.role } : {}),
    };
    const token = this.compactJws(
      { alg: SIGNING_ALG, kid: key.kid, typ: "JWT" },
      input.actorId === undefined ? claims : { ...claims, act: { sub: input.actorId } },
      key.privateKey,
    );
    return { token, jti, expiresAt: new Date(exp * 1000) };
  }

  /**
   * A compact JWS signed with node:crypto. jose signs through WebCrypto, whose Ed25519 runs as
   * a job on libuv's pool: about 150 µs a token against 37 µs here, on every sign-in and
   * refresh. Verification stays with jose (and is cached).
   */
  private compactJws(header: object, payload: object, privateKey: CryptoKey): string {
    let keyObject = this.signingKeyObjects.get(privateKey);
    if (!keyObject) {
      keyObject = KeyObject.from(privateKey);
      this.signingKeyObjects.set(privateKey, keyObject);
    }
    const signingInput = `${base64url(header)}.${base64url(payload)}`;
    return `${signingInput}.${sign(null, Buffer.from(signingInput), keyObject).toString("base64url")}`;
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
