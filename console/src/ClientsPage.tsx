import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import {
  CreateOAuthClientMutation,
  DeleteOAuthClientMutation,
  OAuthClientsQuery,
  RotateOAuthClientSecretMutation,
  UpdateOAuthClientMutation,
} from "./operations";
import type { OAuthClientFieldsFragment } from "./gql/graphql";
import { describeError } from "./errors";
import { when } from "./format";
import { useReauthGuard } from "./reauth";
import { useTitle } from "./App";

type Client = OAuthClientFieldsFragment;

const GRANT_TYPES = [
  ["authorization_code", "Authorization code (with PKCE)"],
  ["refresh_token", "Refresh token"],
  ["client_credentials", "Client credentials (machine to machine)"],
  ["urn:ietf:params:oauth:grant-type:device_code", "Device code (CLIs, TVs)"],
] as const;
const SCOPES = ["openid", "profile", "email", "offline_access"] as const;
const GRANT_LABEL: Record<string, string> = {
  authorization_code: "authorization code",
  refresh_token: "refresh token",
  client_credentials: "client credentials",
  "urn:ietf:params:oauth:grant-type:device_code": "device code",
};

/** A secret the server showed once: kept only in this component's state, never in Apollo's cache. */
interface ShownSecret {
  name: string;
  clientId: string;
  clientSecret: string | null;
  rotated: boolean;
}

/** ADMIN: the apps that sign their users in through Latchkey (OpenID Provider clients). */
export function ClientsPage() {
  useTitle("Clients");
  const { data, error, refetch } = useQuery(OAuthClientsQuery, { fetchPolicy: "cache-and-network" });
  const [shown, setShown] = useState<ShownSecret>();
  const [editing, setEditing] = useState<string>();
  const clients = data?.oauthClients ?? [];
  const editedClient = clients.find((client) => client.id === editing);
  return (
    <>
      <h1>Clients</h1>
      <p className="muted">
        Apps that sign their users in through Latchkey with OpenID Connect. Their discovery document is at{" "}
        <code>{`${window.location.origin}/.well-known/openid-configuration`}</code>.
      </p>
      {shown && <SecretNotice shown={shown} onDone={() => setShown(undefined)} />}
      <section className="card" aria-labelledby="clients-heading">
        <h2 id="clients-heading">Registered clients</h2>
        {error && <p className="error" role="alert">{describeError(error)}</p>}
        {data && clients.length === 0 && <p>No clients yet. Register one below.</p>}
        {clients.length > 0 && (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th><th scope="col">Client ID</th><th scope="col">Type</th><th scope="col">Grants</th>
                  <th scope="col">Redirect URIs</th><th scope="col">Created</th><th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {clients.map((client) => (
                  <ClientRow
                    key={client.id}
                    client={client}
                    editing={client.id === editing}
                    onEdit={() => setEditing(client.id === editing ? undefined : client.id)}
                    onRotated={(clientSecret) => setShown({ name: client.name, clientId: client.clientId, clientSecret, rotated: true })}
                    onDeleted={async () => {
                      if (editing === client.id) setEditing(undefined);
                      await refetch();
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {editedClient && <ClientForm key={editedClient.id} client={editedClient} onSaved={() => setEditing(undefined)} onCancel={() => setEditing(undefined)} />}
      <ClientForm
        onSaved={async (created) => {
          if (created) setShown({ ...created, rotated: false });
          await refetch();
        }}
      />
    </>
  );
}

function ClientRow({ client, editing, onEdit, onRotated, onDeleted }: {
  client: Client;
  editing: boolean;
  onEdit: () => void;
  onRotated: (clientSecret: string | null) => void;
  onDeleted: () => Promise<void>;
}) {
  const guard = useReauthGuard();
  // The answer holds the new secret: it bypasses the cache and lives only in the page's state.
  const [rotate, rotating] = useMutation(RotateOAuthClientSecretMutation, { fetchPolicy: "no-cache" });
  const [remove, removing] = useMutation(DeleteOAuthClientMutation);
  const [confirming, setConfirming] = useState<"rotate" | "delete">();
  const [failure, setFailure] = useState<string>();
  const act = async (action: () => Promise<void>) => {
    setFailure(undefined);
    try {
      await action();
      setConfirming(undefined);
    } catch (error) {
      setFailure(describeError(error));
    }
  };
  const doRotate = () =>
    act(async () => {
      const result = await guard(() => rotate({ variables: { id: client.id } }));
      onRotated(result.data!.rotateOAuthClientSecret.clientSecret ?? null);
    });
  const doDelete = () =>
    act(async () => {
      await guard(() => remove({ variables: { id: client.id } }));
      await onDeleted();
    });
  return (
    <tr data-testid="client-row" aria-current={editing ? "true" : undefined}>
      <td>{client.name}</td>
      <td><code>{client.clientId}</code></td>
      <td>
        {client.public ? "public (PKCE)" : "confidential"}
        {client.firstParty && <> · <span className="badge">first party</span></>}
      </td>
      <td>{client.grantTypes.map((type) => GRANT_LABEL[type] ?? type).join(", ")}</td>
      <td>{client.redirectUris.length === 0 ? "–" : client.redirectUris.map((uri) => <div key={uri}><code>{uri}</code></div>)}</td>
      <td>{when(client.createdAt)}</td>
      <td>
        {!confirming && (
          <div className="row">
            <button type="button" className="secondary" aria-label={`Edit ${client.name}`} aria-expanded={editing} onClick={onEdit}>Edit</button>
            {!client.public && (
              <button type="button" className="secondary" aria-label={`Rotate secret of ${client.name}`} onClick={() => setConfirming("rotate")}>Rotate secret</button>
            )}
            <button type="button" className="danger" aria-label={`Delete ${client.name}`} onClick={() => setConfirming("delete")}>Delete</button>
          </div>
        )}
        {confirming === "rotate" && (
          <div className="stack">
            <p>The current secret stops working at once.</p>
            <div className="row">
              <button type="button" disabled={rotating.loading} onClick={() => void doRotate()}>Rotate now</button>
              <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>Cancel</button>
            </div>
          </div>
        )}
        {confirming === "delete" && (
          <div className="stack">
            <p>Users' consents and every token issued to {client.name} end too.</p>
            <div className="row">
              <button type="button" className="danger" disabled={removing.loading} onClick={() => void doDelete()}>Delete permanently</button>
              <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>Cancel</button>
            </div>
          </div>
        )}
        {failure && <p className="error" role="alert">{failure}</p>}
      </td>
    </tr>
  );
}

function SecretNotice({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  return (
    <section className="card" aria-labelledby="secret-heading" role="status">
      <h2 id="secret-heading">{shown.rotated ? `New secret for ${shown.name}` : `${shown.name} is registered`}</h2>
      <dl>
        <div><dt>Client ID</dt><dd><code data-testid="shown-client-id">{shown.clientId}</code></dd></div>
        {shown.clientSecret ? (
          <div><dt>Client secret</dt><dd><code data-testid="shown-client-secret">{shown.clientSecret}</code></dd></div>
        ) : (
          <div><dt>Client secret</dt><dd>none: a public client uses PKCE instead</dd></div>
        )}
      </dl>
      {shown.clientSecret && <p><strong>Copy the secret now: it is shown only this once</strong> and stored only as a hash.</p>}
      <button type="button" className="secondary" onClick={onDone}>Done</button>
    </section>
  );
}

const lines = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split(/\s+/)
    .map((line) => line.trim())
    .filter(Boolean);

/** Registers a client, or (given one) edits it: updateOAuthClient replaces every setting, so the form holds them all. */
function ClientForm({ client, onSaved, onCancel }: {
  client?: Client;
  onSaved: (created?: { name: string; clientId: string; clientSecret: string | null }) => void | Promise<void>;
  onCancel?: () => void;
}) {
  const guard = useReauthGuard();
  // The answer holds the secret: it bypasses the cache and lives only in the page's state.
  const [create, creating] = useMutation(CreateOAuthClientMutation, { fetchPolicy: "no-cache" });
  const [update, updating] = useMutation(UpdateOAuthClientMutation);
  const [failure, setFailure] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const prefix = client ? `edit-${client.id}` : "new-client";
  const heading = client ? `Edit ${client.name}` : "Register a client";
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const input = {
      name: String(form.get("name") ?? "").trim(),
      redirectUris: lines(form.get("redirectUris")),
      postLogoutRedirectUris: lines(form.get("postLogoutRedirectUris")),
      grantTypes: form.getAll("grantTypes").map(String),
      scopes: form.getAll("scopes").map(String),
      public: client ? client.public : form.get("public") === "on",
      firstParty: form.get("firstParty") === "on",
    };
    setFailure(undefined);
    setSaved(undefined);
    try {
      if (client) {
        await guard(() => update({ variables: { id: client.id, input } }));
        await onSaved();
      } else {
        const result = await guard(() => create({ variables: { input } }));
        const made = result.data!.createOAuthClient;
        formElement.reset();
        setSaved(`Registered ${made.client.name}.`);
        await onSaved({ name: made.client.name, clientId: made.client.clientId, clientSecret: made.clientSecret ?? null });
      }
    } catch (error) {
      setFailure(describeError(error));
    }
  };
  const body = (
    <form onSubmit={submit} aria-label={heading} className="stack">
      <label>Name <input name="name" required maxLength={100} defaultValue={client?.name} autoComplete="off" /></label>
      <label>
        Redirect URIs, one per line
        <textarea name="redirectUris" rows={2} defaultValue={client?.redirectUris.join("\n")} aria-describedby={`${prefix}-uri-hint`} />
      </label>
      <label>
        Post-logout redirect URIs, one per line
        <textarea name="postLogoutRedirectUris" rows={2} defaultValue={client?.postLogoutRedirectUris.join("\n")} aria-describedby={`${prefix}-uri-hint`} />
      </label>
      <p id={`${prefix}-uri-hint`} className="muted">Absolute https URLs without a fragment; http only for localhost or 127.0.0.1.</p>
      <fieldset>
        <legend>Grant types</legend>
        {GRANT_TYPES.map(([value, label]) => (
          <label className="inline" key={value}>
            <input type="checkbox" name="grantTypes" value={value} defaultChecked={client ? client.grantTypes.includes(value) : value === "authorization_code" || value === "refresh_token"} /> {label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Scopes</legend>
        {SCOPES.map((scope) => (
          <label className="inline" key={scope}>
            <input type="checkbox" name="scopes" value={scope} defaultChecked={client ? client.scopes.includes(scope) : true} /> {scope}
          </label>
        ))}
      </fieldset>
      <label className="inline">
        <input type="checkbox" name="public" defaultChecked={client?.public} disabled={Boolean(client)} aria-describedby={`${prefix}-public-hint`} /> Public client (no secret; PKCE)
      </label>
      <p id={`${prefix}-public-hint`} className="muted">
        For single-page, mobile and command-line apps, which cannot keep a secret.{client ? " Fixed once the client exists." : ""}
      </p>
      <label className="inline">
        <input type="checkbox" name="firstParty" defaultChecked={client?.firstParty} /> First party (users are not asked for consent)
      </label>
      <div className="row">
        <button type="submit" disabled={creating.loading || updating.loading}>{client ? "Save changes" : "Register"}</button>
        {onCancel && <button type="button" className="secondary" onClick={onCancel}>Cancel</button>}
      </div>
      {saved && <p className="ok" role="status">{saved}</p>}
      {failure && <p className="error" role="alert">{failure}</p>}
    </form>
  );
  if (client) {
    return (
      <section className="card" aria-labelledby={`${prefix}-heading`}>
        <h2 id={`${prefix}-heading`}>{heading}</h2>
        {body}
      </section>
    );
  }
  return (
    <details className="card">
      <summary>{heading}</summary>
      {body}
    </details>
  );
}
