import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { Errors } from "../common/app-error";

// Targets a webhook must not reach unless WEBHOOK_ALLOW_PRIVATE=true: this host, the private
// networks behind it, cloud metadata services (link-local) and every other special-purpose
// block, so an ADMIN-supplied URL cannot be used to probe or call them (SSRF).

/**
 * The IANA IPv4 Special-Purpose Address Registry (every entry, reachable or not: none is a
 * place a webhook receiver lives), plus multicast and the deprecated 6to4 relay anycast.
 */
const IPV4_REFUSED = [
  "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
  "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24",
  "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
].map((cidr) => ipaddr.IPv4.parseCIDR(cidr));

/** Only global unicast (2000::/3) is reachable IPv6 at all; within it, these are special-purpose. */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR("2000::/3");
const IPV6_REFUSED = [
  "2001::/23", // IETF protocol assignments, Teredo (2001::/32) among them: not globally reachable
  "2001:db8::/32", // documentation
  "2002::/16", // 6to4: tunnels to whatever IPv4 address it embeds (deprecated, RFC 7526)
  "2620:4f:8000::/48", // AS112 direct delegation
  "3fff::/20", // documentation
].map((cidr) => ipaddr.IPv6.parseCIDR(cidr));

/**
 * IPv6 blocks that carry an IPv4 address in their last 32 bits and reach it: the address is
 * judged as that IPv4 address. IPv4-mapped (::ffff:0:0/96) is how a dual-stack socket writes an
 * IPv4 peer; the well-known NAT64 prefix (64:ff9b::/96, RFC 6052) is translated to IPv4 by the
 * network's NAT64 gateway. Everything else below 2000::/3 is refused whole: unspecified and
 * loopback, IPv4-compatible (::/96, deprecated), IPv4-translated (::ffff:0:0:0/96), local-use
 * NAT64 (64:ff9b:1::/48), discard-only (100::/64), SRv6 SIDs (5f00::/16), unique-local
 * (fc00::/7), link-local (fe80::/10), site-local (fec0::/10, deprecated) and multicast (ff00::/8).
 */
const IPV6_EMBEDDING_IPV4 = ["::ffff:0:0/96", "64:ff9b::/96"].map((cidr) => ipaddr.IPv6.parseCIDR(cidr));

function isRefusedIpv4(address: ipaddr.IPv4): boolean {
  return IPV4_REFUSED.some((range) => address.match(range));
}

function isRefusedIpv6(address: ipaddr.IPv6): boolean {
  if (IPV6_EMBEDDING_IPV4.some((range) => address.match(range))) {
    const bytes = address.toByteArray();
    return isRefusedIpv4(new ipaddr.IPv4(bytes.slice(12)));
  }
  if (!address.match(IPV6_GLOBAL_UNICAST)) return true;
  return IPV6_REFUSED.some((range) => address.match(range));
}

/** 64:ff9b::8.8.8.8 as 64:ff9b::808:808: ipaddr.js reads a dotted tail only after ::ffff:. */
function hexTail(address: string): string {
  const match = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)(%.*)?$/.exec(address);
  if (!match) return address;
  const [a, b, c, d] = match.slice(2, 6).map(Number);
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}${match[6] ?? ""}`;
}

/**
 * True for any address a webhook must not reach: loopback, private, link-local, multicast,
 * reserved, documentation and every other special-purpose block of IPv4 and IPv6, and an IPv4
 * address however an IPv6 address embeds it. Anything that is not an IP address is refused too.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(family === 6 ? hexTail(address) : address);
  } catch {
    return true;
  }
  return parsed.kind() === "ipv4" ? isRefusedIpv4(parsed as ipaddr.IPv4) : isRefusedIpv6(parsed as ipaddr.IPv6);
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
