import http from "node:http";
import https from "node:https";

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  lookup: http.RequestOptions["lookup"];
}

/**
 * POSTs the body and resolves to the response status. Redirects are not followed (a 3xx is
 * not a success), the answer's body is discarded, and the whole exchange is cut off after
 * timeoutMs. A fresh connection per request: no socket outlives it.
 */
export function postJson(url: URL, body: string, options: PostOptions): Promise<number> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "POST",
        agent: false,
        lookup: options.lookup,
        headers: {
          ...options.headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Latchkey-Webhooks/1",
        },
      },
      (response) => {
        // The status decides; the body is drained (and cut off by the same timer if endless).
        response.on("close", () => clearTimeout(timer));
        response.on("error", () => undefined);
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
