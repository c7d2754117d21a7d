import { generateSecret, generateURI, verify } from "otplib";

/** Authenticator-app defaults (RFC 6238 / RFC 4226): SHA-1, 6 digits, 30-second steps. */
export const OTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** TOTP accepts the previous, current and next step (clock drift, typing time). */
export const TOTP_WINDOW_STEPS = 1;
/** HOTP accepts the expected counter and the next 10 (buttons pressed without signing in). */
export const HOTP_LOOK_AHEAD = 10;

export type OtpMethod = "TOTP" | "HOTP";

const CODE_PATTERN = /^\d{6}$/;

/** A code as typed: spaces (authenticator apps show "123 456") are not part of it. */
export function normalizeOtpCode(code: string): string | undefined {
  const digits = code.replace(/\s+/g, "");
  return CODE_PATTERN.test(digits) ? digits : undefined;
}

/** A new random 160-bit secret, base32 (what authenticator apps expect). */
export function newOtpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URL an authenticator app scans; HOTP URLs carry the starting counter. */
export function otpauthUrl(method: OtpMethod, secret: string, issuer: string, accountName: string): string {
  return method === "TOTP"
    ? generateURI({ strategy: "totp", issuer, label: accountName, secret, digits: OTP_DIGITS, period: TOTP_PERIOD_SECONDS })
    : generateURI({ strategy: "hotp", issuer, label: accountName, secret, digits: OTP_DIGITS, counter: 0 });
}

/**
 * The time step a TOTP code belongs to, if it is valid at `now` within ±1 step and newer than
 * `lastAcceptedStep` (a code is accepted once), else undefined.
 */
export async function matchTotp(secret: string, code: string, now: Date, lastAcceptedStep: bigint): Promise<bigint | undefined> {
  const epoch = Math.floor(now.getTime() / 1000);
  const currentStep = Math.floor(epoch / TOTP_PERIOD_SECONDS);
  // Every step in the window is already used (otplib refuses such a bound outright).
  if (lastAcceptedStep >= BigInt(currentStep + TOTP_WINDOW_STEPS)) return undefined;
  const result = await verify({
    strategy: "totp",
    secret,
    token: code,
    epoch,
    period: TOTP_PERIOD_SECONDS,
    digits: OTP_DIGITS,
    epochTolerance: TOTP_WINDOW_STEPS * TOTP_PERIOD_SECONDS,
    afterTimeStep: Number(lastAcceptedStep),
  });
  return result.valid ? BigInt((result as { timeStep: number }).timeStep) : undefined;
}

/** The counter value an HOTP code belongs to, searched from `nextCounter` through +10, else undefined. */
export async function matchHotp(secret: string, code: string, nextCounter: bigint): Promise<bigint | undefined> {
  if (nextCounter > BigInt(Number.MAX_SAFE_INTEGER - HOTP_LOOK_AHEAD)) return undefined;
  const result = await verify({
    strategy: "hotp",
    secret,
    token: code,
    counter: Number(nextCounter),
    digits: OTP_DIGITS,
    counterTolerance: HOTP_LOOK_AHEAD,
  });
  return result.valid ? nextCounter + BigInt(result.delta) : undefined;
}
