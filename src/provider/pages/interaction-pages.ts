import { escapeHtml, layout, message } from "./html";

/** What every interaction form carries: where it posts and its CSRF token. */
export interface FormTarget {
  action: string;
  csrfToken: string;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

/** The password form (inputs `identifier` and `password`) and, where the browser has WebAuthn, the passkey button. */
export function signInPage(form: FormTarget, options: { clientName: string; identifier?: string; error?: string }): string {
  return layout(
    "Sign in",
    `<p class="info">to continue to <strong>${escapeHtml(options.clientName)}</strong></p>
${message(options.error)}
<form method="post" action="${escapeHtml(form.action)}">
${hidden("csrf", form.csrfToken)}
<label for="identifier">Username or e-mail</label>
<input type="text" id="identifier" name="identifier" autocomplete="username webauthn" autocapitalize="none" required value="${escapeHtml(options.identifier ?? "")}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button></div>
</form>
<section id="passkey" class="passkey" hidden>
<button type="button" id="passkey-button" class="secondary">Sign in with a passkey</button>
<p id="passkey-status" class="info" role="status"></p>
</section>`,
    { passkeyScript: true },
  );
}

/** The second step of a two-factor account: a `code` from the authenticator, or a recovery code. */
export function twoFactorPage(form: FormTarget, options: { challengeToken: string; error?: string }): string {
  return layout(
    "Two-factor code",
    `${message(options.error)}
<p class="info">Enter the code from your authenticator app, or one of your recovery codes.</p>
<form method="post" action="${escapeHtml(form.action)}">
${hidden("csrf", form.csrfToken)}
${hidden("challenge", options.challengeToken)}
<label for="code">Code</label>
<input type="text" id="code" name="code" autocomplete="one-time-code" inputmode="text" autocapitalize="none" required autofocus>
<div class="actions"><button type="submit">Verify</button></div>
</form>`,
  );
}

/** What each scope lets the client see, in words. */
const SCOPE_WORDS: Record<string, string> = {
  openid: "Sign you in with your account",
  profile: "Your name and username",
  email: "Your e-mail address and whether it is verified",
  offline_access: "Stay signed in to it while you are away",
};

/** The consent form: the client's name, the scopes it asks for, and the `approve` and `deny` buttons. */
export function consentPage(form: FormTarget, options: { clientName: string; scopes: string[]; userName: string }): string {
  const scopes = options.scopes.map((scope) => `<li><strong>${escapeHtml(scope)}</strong>: ${escapeHtml(SCOPE_WORDS[scope] ?? scope)}</li>`).join("\n");
  return layout(
    "Allow access?",
    `<p><strong>${escapeHtml(options.clientName)}</strong> asks to access your account <strong>${escapeHtml(options.userName)}</strong>:</p>
<ul class="scopes">
${scopes}
</ul>
<form method="post" action="${escapeHtml(form.action)}">
${hidden("csrf", form.csrfToken)}
<div class="actions">
<button type="submit" name="approve" value="yes">Allow</button>
<button type="submit" name="deny" value="yes" class="secondary">Deny</button>
</div>
</form>`,
  );
}

/** A dead end (expired or unknown interaction, refused request). */
export function errorPage(title: string, text: string): string {
  return layout(title, message(text));
}

/**
 * Reloads the interaction from this origin (a meta refresh, no script): that navigation is
 * same-site, so the browser sends the SameSite=Strict lk_access cookie of a signed-in user.
 */
export function sameSiteReloadPage(url: string): string {
  return layout("Signing in", `<p class="info"><a href="${escapeHtml(url)}">Continue</a></p>`).replace(
    "<head>\n",
    `<head>\n<meta http-equiv="refresh" content="0;url=${escapeHtml(url)}">\n`,
  );
}
