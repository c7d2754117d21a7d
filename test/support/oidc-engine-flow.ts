// The browser's side of an authorization request, with the sign-in finished through the
// engine's interaction API instead of the HTML pages (tests of the provider core, benchmarks).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type Provider from "oidc-provider";

/** A tiny cookie jar for the browser's side of the flow. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && new Date(a.split("=")[1]).getTime() < Date.now());
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/**
 * Plays the browser through the authorization endpoint, finishing the sign-in interaction with
 * the engine's own API (interactionFinished) for `accountId` instead of the HTML pages:
 * the engine-level path, independent of the sign-in pages. First-party clients skip consent;
 * for others the interaction is finished with a grant of what was asked.
 */
export async function authorizeWithEngine(
  provider: Provider,
  authorizationUrl: URL,
  accountId: string,
  redirectUri: string,
  jar: CookieJar = new CookieJar(),
  /** Collects the prompt of every interaction the engine asked for (login, consent). */
  prompts: string[] = [],
): Promise<URL> {
  const finisher = http.createServer((req, res) => {
    (async () => {
      const details = await provider.interactionDetails(req, res);
      prompts.push(details.prompt.name);
      if (details.prompt.name === "login") {
        await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId, clientId: details.params.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })().catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => finisher.listen(0, "127.0.0.1", resolve));
  const finisherUrl = `http://127.0.0.1:${(finisher.address() as AddressInfo).port}`;
  const send = async (url: string) => {
    const response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(response);
    return response;
  };
  try {
    let next = authorizationUrl.href;
    for (let step = 0; step < 12; step++) {
      const response = await send(next);
      const location = response.headers.get("location");
      if (!location) throw new Error(`provider answered ${response.status} at ${next}: ${await response.text()}`);
      const target = new URL(location, next);
      if (target.href.startsWith(redirectUri)) return target;
      next = target.pathname.startsWith("/oidc/interaction/") ? `${finisherUrl}${target.pathname}` : target.href;
    }
    throw new Error("too many redirects at the provider");
  } finally {
    finisher.closeAllConnections();
    await new Promise<void>((resolve) => finisher.close(() => resolve()));
  }
}


/**
 * From a redirect to an interaction page: finishes the sign-in (and a consent, when asked)
 * through the engine for `accountId` with the browser's cookies, and returns where the
 * engine sends the browser next (back to the flow that asked).
 */
export async function finishSignInWithEngine(provider: Provider, interactionUrl: URL, accountId: string, jar: CookieJar): Promise<URL> {
  const finisher = http.createServer((req, res) => {
    (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId, clientId: details.params.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })().catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => finisher.listen(0, "127.0.0.1", resolve));
  const finisherUrl = `http://127.0.0.1:${(finisher.address() as AddressInfo).port}`;
  try {
    let next = interactionUrl;
    for (let step = 0; step < 4; step++) {
      if (!next.pathname.startsWith("/oidc/interaction/")) return next;
      const response = await fetch(`${finisherUrl}${next.pathname}`, { redirect: "manual", headers: { cookie: jar.header() } });
      jar.store(response);
      const location = response.headers.get("location");
      if (!location) throw new Error(`interaction answered ${response.status}: ${await response.text()}`);
      next = new URL(location, interactionUrl);
    }
    throw new Error("too many interaction steps");
  } finally {
    finisher.closeAllConnections();
    await new Promise<void>((resolve) => finisher.close(() => resolve()));
  }
}
