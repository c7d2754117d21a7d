import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { encodeCbor } from "./cbor";

/** PUBLIC_URL of the test server: passkeys are made for localhost and used from this origin. */
export const TEST_ORIGIN = "http://localhost:4000";

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest();

// Authenticator data flags (WebAuthn §6.1).
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

/** What a test may bend in one ceremony to play a phishing page, a lying authenticator, a replay. */
export interface CeremonyOverrides {
  /** The page origin the browser writes into clientDataJSON. */
  origin?: string;
  /** The RP ID whose hash the authenticator puts into authenticator data. */
  rpIdForHash?: string;
  /** The challenge signed, instead of the one in the options. */
  challenge?: string;
  /** The sign counter presented (assertions); otherwise the authenticator's next one. */
  counter?: number;
  /** false: the authenticator claims no user verification. */
  userVerified?: boolean;
  /** Sign with this key instead of the credential's own. */
  signWith?: KeyObject;
  type?: string;
}

/**
 * A passkey authenticator in software, as a browser plus platform authenticator would answer
 * navigator.credentials.create / get: an ES256 (P-256) key from node:crypto, attestation "none",
 * CBOR written by hand, results in the JSON form @simplewebauthn/browser produces.
 */
export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  /** The account handle from the creation options, returned in assertions (discoverable sign-in). */
  userHandle?: string;
  signCount = 0;

  constructor(
    private readonly origin = TEST_ORIGIN,
    /** A counter that moves on every use, as security keys do; false: always 0, as synced passkeys do. */
    private readonly counts = true,
  ) {}

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The answer to PublicKeyCredentialCreationOptionsJSON, as the JSON text finishPasskeyRegistration takes. */
  register(optionsJson: string, overrides: CeremonyOverrides = {}): string {
    const options = JSON.parse(optionsJson);
    this.userHandle = options.user.id;
    const clientDataJSON = this.clientData("webauthn.create", overrides.challenge ?? options.challenge, overrides);
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, encodeCbor(coseKey)]);
    const authData = Buffer.concat([
      this.authDataHead(overrides.rpIdForHash ?? options.rp.id, AT | this.flags(overrides), this.signCount),
      attested,
    ]);
    const attestationObject = encodeCbor(new Map<string, any>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    return this.credentialJson({
      clientDataJSON: b64url(clientDataJSON),
      attestationObject: b64url(attestationObject),
      transports: ["internal", "hybrid"],
    });
  }

  /** The answer to PublicKeyCredentialRequestOptionsJSON, as the JSON text finishPasskeyLogin takes. */
  assert(optionsJson: string, overrides: CeremonyOverrides = {}): string {
    const options = JSON.parse(optionsJson);
    if (overrides.counter === undefined && this.counts) this.signCount += 1;
    const counter = overrides.counter ?? this.signCount;
    const clientDataJSON = this.clientData("webauthn.get", overrides.challenge ?? options.challenge, overrides);
    const authData = this.authDataHead(overrides.rpIdForHash ?? options.rpId, this.flags(overrides), counter);
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), overrides.signWith ?? this.keys.privateKey);
    return this.credentialJson({
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authData),
      signature: b64url(signature),
      ...(this.userHandle ? { userHandle: this.userHandle } : {}),
    });
  }

  /** A PublicKeyCredential as JSON, the shape both ceremonies send back. */
  private credentialJson(response: Record<string, unknown>): string {
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response,
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    });
  }

  private clientData(type: string, challenge: string, overrides: CeremonyOverrides): Buffer {
    return Buffer.from(JSON.stringify({ type: overrides.type ?? type, challenge, origin: overrides.origin ?? this.origin, crossOrigin: false }));
  }

  private flags(overrides: CeremonyOverrides): number {
    // A synced passkey: backup eligible and backed up.
    return UP | (overrides.userVerified === false ? 0 : UV) | BE | BS;
  }

  private authDataHead(rpId: string, flags: number, counter: number): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter >>> 0);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count]);
  }
}

export function otherKey(): KeyObject {
  return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
}
