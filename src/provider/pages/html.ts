/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Where the pages' stylesheet and passkey script are served (files, so no inline style or script is needed). */
export const PAGE_ASSETS = {
  stylesheet: "/oidc/interaction/assets/pages.css",
  passkeyScript: "/oidc/interaction/assets/passkey.js",
};

/**
 * The pages' Content-Security-Policy: only this origin's stylesheet and script, no inline code,
 * forms posted to this origin or (after consent) to the client's redirect URI, never framed.
 */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/** One complete page around the given (already escaped) body HTML. */
export function layout(title: string, body: string, options: { passkeyScript?: boolean } = {}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${PAGE_ASSETS.stylesheet}">
${options.passkeyScript ? `<script src="${PAGE_ASSETS.passkeyScript}" defer></script>\n` : ""}</head>
<body>
<main class="card">
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** A notice paragraph; `error` marks it as a failure (role=alert). */
export function message(text: string | undefined, kind: "error" | "info" = "error"): string {
  if (!text) return "";
  return kind === "error" ? `<p class="error" role="alert">${escapeHtml(text)}</p>` : `<p class="info">${escapeHtml(text)}</p>`;
}
