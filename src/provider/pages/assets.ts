/** The pages' stylesheet, served as a file (the CSP allows no inline style). */
export const PAGES_CSS = `*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f4f6;color:#111827;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.card{width:100%;max-width:26rem;margin:1rem;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12),0 8px 24px rgba(0,0,0,.06)}
h1{margin:0 0 1rem;font-size:1.4rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=text],input[type=password]{width:100%;padding:.6rem .7rem;border:1px solid #d1d5db;border-radius:.4rem;font:inherit}
input:focus{outline:2px solid #2563eb;outline-offset:1px}
button{margin-top:1rem;padding:.6rem 1rem;border:0;border-radius:.4rem;background:#2563eb;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#e5e7eb;color:#111827}
.actions{display:flex;gap:.5rem;flex-wrap:wrap}
.error{padding:.6rem .8rem;border-radius:.4rem;background:#fef2f2;color:#991b1b}
.info{color:#4b5563}
ul.scopes{padding-left:1.2rem}
.passkey{margin-top:1.5rem;padding-top:1rem;border-top:1px solid #e5e7eb}
[hidden]{display:none}
`;

/**
 * The passkey button's script: shown only where the browser has WebAuthn. It runs the existing
 * passkey sign-in over GraphQL (beginPasskeyLogin, finishPasskeyLogin with cookie: true), then
 * reloads the page: the lk_access cookie it now holds signs the interaction in.
 */
export const PASSKEY_JS = `(function () {
  "use strict";
  var button = document.getElementById("passkey-button");
  var section = document.getElementById("passkey");
  if (!button || !section || !window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) return;
  section.hidden = false;
  var status = document.getElementById("passkey-status");
  function gql(query, variables) {
    return fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: query, variables: variables })
    }).then(function (r) { return r.json(); }).then(function (body) {
      if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
      return body.data;
    });
  }
  button.addEventListener("click", function () {
    status.textContent = "";
    var identifier = (document.getElementById("identifier") || {}).value || null;
    gql("mutation($identifier: String) { beginPasskeyLogin(identifier: $identifier) { challengeToken optionsJson } }", { identifier: identifier })
      .then(function (data) {
        var start = data.beginPasskeyLogin;
        var options = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(start.optionsJson));
        return navigator.credentials.get({ publicKey: options }).then(function (credential) {
          return gql("mutation($t: String!, $r: String!) { finishPasskeyLogin(challengeToken: $t, responseJson: $r, cookie: true) { session { id } } }",
            { t: start.challengeToken, r: JSON.stringify(credential.toJSON()) });
        });
      })
      .then(function () { window.location.reload(); })
      .catch(function () { status.textContent = "The passkey sign-in did not succeed."; });
  });
})();
`;
