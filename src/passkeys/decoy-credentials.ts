import type { KeyedHash } from "../common/keyed-hash";

/** A credential descriptor as beginPasskeyLogin lists it: the same keys, in the same order, as a stored passkey's. */
export interface CredentialDescriptor {
  id: string;
  transports: string[];
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

// How many passkeys an account lists: most have one, some a second device, few more.
const COUNTS: Weighted<number> = [
  [1, 14],
  [2, 5],
  [3, 1],
];
// Credential id lengths in bytes of common authenticators: synced platform passkeys (16, 20),
// Windows Hello and many others (32), security keys (64).
const ID_BYTES: Weighted<number> = [
  [16, 3],
  [20, 3],
  [32, 5],
  [64, 2],
];
// What browsers report at registration (getTransports(), sorted): synced platform passkeys,
// device-bound platform authenticators, security keys.
const TRANSPORTS: Weighted<string[]> = [
  [["hybrid", "internal"], 6],
  [["internal"], 3],
  [["nfc", "usb"], 3],
  [["usb"], 1],
];

function pick<T>(choices: Weighted<T>, random: number): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let point = random % total;
  for (const [value, weight] of choices) {
    if (point < weight) return value;
    point -= weight;
  }
  return choices[choices.length - 1][0];
}

/**
 * The made-up passkeys listed for an identifier with no account, or an account without
 * passkeys, so that beginPasskeyLogin does not tell whether an account exists or has passkeys:
 * shaped like stored ones (id and transports), with plausible counts, id lengths and
 * transports, all derived from the identifier with a keyed hash, so asking again gives the
 * same answer and no one without APP_SECRET can tell them from real ones by computing them.
 */
export function decoyCredentials(key: KeyedHash, identifier: string): CredentialDescriptor[] {
  const subject = `passkey-decoy:${identifier.trim().toLowerCase()}`;
  const choice = key.digest(`${subject}:choices`);
  const count = pick(COUNTS, choice.readUInt16BE(0));
  return Array.from({ length: count }, (_, i) => {
    const bytes = pick(ID_BYTES, choice.readUInt16BE(2 + 4 * i));
    const transports = pick(TRANSPORTS, choice.readUInt16BE(4 + 4 * i));
    const id = Buffer.concat([key.digest(`${subject}:id:${i}:0`), key.digest(`${subject}:id:${i}:1`)]).subarray(0, bytes);
    return { id: id.toString("base64url"), transports: [...transports] };
  });
}
