import type { EngineContext } from "oidc-provider";

/**
 * Plain fallback pages for the engine's own screens (errors, logout confirmation, the device
 * flow) when no styled page is configured: no external fonts or scripts, every value escaped.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.4rem}button,input{font:inherit;padding:.5rem .75rem}pre{white-space:pre-wrap}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** The engine's error page: its error code and description only (never a stack trace). */
export async function renderError(ctx: EngineContext, out: Record<string, unknown>): Promise<void> {
  ctx.type = "html";
  ctx.body = page(
    "Something went wrong",
    Object.entries(out)
      .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`)
      .join("\n"),
  );
}

export async function logoutSource(ctx: EngineContext, form: string): Promise<void> {
  ctx.body = page(
    "Sign out?",
    `${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

export async function postLogoutSuccessSource(ctx: EngineContext): Promise<void> {
  ctx.body = page("Signed out", "<p>You are signed out.</p>");
}

export async function userCodeInputSource(ctx: EngineContext, form: string, _out: unknown, err: unknown): Promise<void> {
  const message = err ? '<p role="alert">The code is not valid or has expired.</p>' : "<p>Enter the code shown on your device.</p>";
  ctx.body = page(
    "Connect a device",
    `${message}
${form}
<button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

export async function userCodeConfirmSource(ctx: EngineContext, form: string, client: { clientName?: string; clientId: string }, _deviceInfo: unknown, userCode: string): Promise<void> {
  ctx.body = page(
    "Confirm the device",
    `<p>${escapeHtml(client.clientName ?? client.clientId)} asks to connect. Check that it shows <strong>${escapeHtml(userCode)}</strong>.</p>
${form}
<button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">Cancel</button>`,
  );
}

export async function successSource(ctx: EngineContext): Promise<void> {
  ctx.body = page("Device connected", "<p>You can return to your device.</p>");
}
