import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Errors } from "../common/app-error";

// Targets a webhook must not reach unless WEBHOOK_ALLOW_PRIVATE=true: this host, the private
// networks behind it and cloud metadata services (link-local), so an ADMIN-supplied URL
// cannot be used to probe or call them (SSRF).
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) PRIVATE.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96], ["2002::", 16],
] as const) PRIVATE.addSubnet(network, prefix, "ipv6");

/** True for loopback, private, link-local, multicast and reserved addresses (IPv4-mapped IPv6 too). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], "ipv4");
  // The same in hex, as the URL parser writes it: ::ffff:7f00:1 is 127.0.0.1.
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (mappedHex) {
    const [high, low] = [parseInt(mappedHex[1], 16), parseInt(mappedHex[2], 16)];
    return PRIVATE.check([high >> 8, high & 255, low >> 8, low & 255].join("."), "ipv4");
  }
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

const MAX_URL_LENGTH = 2048;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Checks webhook URLs when an endpoint is saved, and every address connected to when delivering. */
export class WebhookUrlGuard {
  constructor(private readonly allowPrivate: boolean) {}

  /** http(s), a host, no credentials in the URL; else BAD_USER_INPUT on `url`. */
  parse(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw Errors.badInput("url", "url is not a valid URL");
    }
    if (text.length > MAX_URL_LENGTH) throw Errors.badInput("url", `url may be at most ${MAX_URL_LENGTH} characters`);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw Errors.badInput("url", "url must be http or https");
    if (url.username || url.password) throw Errors.badInput("url", "url must not carry credentials");
    if (!url.hostname) throw Errors.badInput("url", "url needs a host");
    return url;
  }

  /** Resolves the host (DNS) and refuses private targets; BAD_USER_INPUT on `url`. */
  async assertAllowed(text: string): Promise<URL> {
    const url = this.parse(text);
    if (this.allowPrivate) return url;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : (await resolveAll(host)).map((entry) => entry.address);
    } catch {
      throw Errors.badInput("url", "url's host does not resolve");
    }
    if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
      throw Errors.badInput("url", "url points at a private, loopback or link-local address");
    }
    return url;
  }

  /**
   * A `lookup` for http.request that refuses private addresses: the check happens on the very
   * addresses the connection uses, so a name that resolves to a public address when the
   * endpoint is saved and to a private one later (DNS rebinding) is still refused.
   */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      if (!this.allowPrivate && (addresses.length === 0 || addresses.some((entry) => isPrivateAddress(entry.address)))) {
        return callback(Object.assign(new Error("refused: the host resolves to a private address"), { code: "EWEBHOOKPRIVATE" }), []);
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}
