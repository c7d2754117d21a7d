import type { FetchFunction } from "../../packages/client/src/index.ts";

/** A fetch that counts the refreshSession mutations it sends, for single-flight assertions. */
export interface CountingFetch {
  fetch: FetchFunction;
  refreshes(): number;
  requests(): number;
}

function bodyText(init?: RequestInit): string {
  return typeof init?.body === "string" ? init.body : "";
}

/**
 * Node's fetch keeps no cookies: this one plays the browser for cookie mode, keeping what
 * Set-Cookie sets (and forgetting what it expires) and sending it back.
 */
export function countingFetch(options: { cookies?: boolean } = {}): CountingFetch & { cookieNames(): string[] } {
  const jar = new Map<string, string>();
  let refreshes = 0;
  let requests = 0;
  const send: FetchFunction = async (input, init) => {
    requests += 1;
    if (/refreshSession/.test(bodyText(init))) refreshes += 1;
    const headers = new Headers(init?.headers);
    if (options.cookies && jar.size > 0) headers.set("cookie", [...jar].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await fetch(input, { ...init, headers });
    if (options.cookies) {
      for (const line of response.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(";");
        const index = pair.indexOf("=");
        const name = pair.slice(0, index).trim();
        const value = pair.slice(index + 1).trim();
        const expired = value === "" || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
        if (expired) jar.delete(name);
        else jar.set(name, value);
      }
    }
    return response;
  };
  return { fetch: send, refreshes: () => refreshes, requests: () => requests, cookieNames: () => [...jar.keys()].sort() };
}
