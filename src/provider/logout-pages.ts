// oidc-provider's RP-initiated logout hooks (features.rpInitiatedLogout): the confirmation page
// (its form carries the engine's xsrf token) and the page after a logout with no redirect.
import { layout, message, PAGE_CSP } from "./pages/html";

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

/** Asks before signing out; the `logout` button signs out, the other stays signed in. */
export async function logoutSource(ctx: PageContext, form: string): Promise<void> {
  render(
    ctx,
    layout(
      "Sign out",
      `<p>Do you want to sign out?</p>
${form}
<div class="actions">
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>
</div>`,
    ),
  );
}

/** After a logout that names no post-logout redirect URI. */
export async function postLogoutSuccessSource(ctx: PageContext): Promise<void> {
  render(ctx, layout("Signed out", message("You are signed out.", "info")));
}

/** The engine's request context at its end_session.success event (the parts read here). */
export interface EndSessionContext {
  req: import("node:http").IncomingMessage;
  res: import("node:http").ServerResponse;
  oidc?: { params?: { logout?: unknown } };
}

/**
 * After a confirmed RP-initiated logout ("Yes, sign me out"), the browser's Latchkey session
 * ends too: its lk_access cookie would otherwise sign the next authorization straight back in.
 * `endBrowserSession` clears the cookies at once (the engine's redirect carries them) and ends
 * the session in the background. "No, stay signed in" leaves it.
 */
export function endBrowserSessionOnLogout(endBrowserSession: (req: EndSessionContext["req"], res: EndSessionContext["res"]) => void) {
  return (ctx: EndSessionContext): void => {
    if (ctx.oidc?.params?.logout) endBrowserSession(ctx.req, ctx.res);
  };
}
