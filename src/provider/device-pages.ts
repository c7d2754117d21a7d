// oidc-provider's device flow hooks (features.deviceFlow): the pages a user sees at the
// verification URI. The engine passes its own form (with its xsrf token and the user_code input);
// these pages wrap it in the provider's layout and add the buttons.
import { escapeHtml, layout, message, PAGE_CSP } from "./pages/html";

/** The parts of a koa context the hooks use. */
interface PageContext {
  body?: unknown;
  type?: string;
  set(field: string, value: string): void;
}

function render(ctx: PageContext, html: string): void {
  ctx.set("Content-Security-Policy", PAGE_CSP);
  ctx.set("Cache-Control", "no-store");
  ctx.type = "html";
  ctx.body = html;
}

/** Asks for the code the device shows; shown again, with why, after a wrong or expired code. */
export async function userCodeInputSource(ctx: PageContext, form: string, _out?: unknown, err?: { userCode?: string; name?: string }): Promise<void> {
  let notice: string;
  if (err && (err.userCode || err.name === "NoCodeError")) notice = message("The code you entered is not valid or has expired. Try again.");
  else if (err && err.name === "AbortedError") notice = message("The sign-in request was cancelled.");
  else if (err) notice = message("The request could not be processed.");
  else notice = message("Enter the code shown on your device.", "info");
  render(
    ctx,
    layout(
      "Connect a device",
      `${notice}
${form}
<div class="actions"><button type="submit" form="op.deviceInputForm">Continue</button></div>`,
    ),
  );
}

/** Confirms the device asking (client name and the code) before sign-in and consent. */
export async function userCodeConfirmSource(
  ctx: PageContext,
  form: string,
  client: { clientName?: string; clientId?: string; metadata?: () => Record<string, unknown> },
  _deviceInfo: unknown,
  userCode: string,
): Promise<void> {
  const name = client.clientName ?? (client.metadata?.().client_name as string | undefined) ?? client.clientId ?? "An application";
  render(
    ctx,
    layout(
      "Connect a device",
      `<p><strong>${escapeHtml(name)}</strong> asks to sign in on a device.</p>
<p class="info">Check that the device shows this code: <strong>${escapeHtml(userCode)}</strong></p>
${form}
<div class="actions">
<button type="submit" form="op.deviceConfirmForm" autofocus>Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes" class="secondary">Cancel</button>
</div>`,
    ),
  );
}

/** Shown once the device is signed in. */
export async function successSource(ctx: PageContext): Promise<void> {
  render(ctx, layout("Device connected", message("Your device is now signed in. You can close this page and return to it.", "info")));
}
