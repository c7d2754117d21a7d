import ipaddr from "ipaddr.js";

/**
 * The part of a client address a per-IP limit counts against: an IPv4 address as it is, an
 * IPv6 address by its /64. One IPv6 subscriber (a home line, a cloud VM) is handed a whole /64
 * and can send every request from a new address in it, so counting single IPv6 addresses would
 * leave per-IP limits with nothing to count. IPv4 addresses written as IPv6 (::ffff:a.b.c.d)
 * count as the IPv4 address.
 */
export function clientNetwork(ip: string | null): string {
  if (!ip || !ipaddr.isValid(ip)) return ip ?? "unknown";
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  const prefix = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(":")}::/64`;
}
