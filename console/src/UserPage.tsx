import { useState, type FormEvent, type ReactNode } from "react";
import { useApolloClient, useMutation, useQuery, useSubscription } from "@apollo/client/react";
import {
  AuditLogQuery,
  DeleteUserMutation,
  ImpersonateUserMutation,
  RevokeUserSessionMutation,
  RevokeUserSessionsMutation,
  SendPasswordResetMutation,
  SetUserDisabledMutation,
  SetUserRoleMutation,
  UpdateUserMutation,
  UserQuery,
  UserSessionEventsSubscription,
  UserSessionsQuery,
} from "./operations";
import type { Role, UserDetailsFieldsFragment } from "./gql/graphql";
import { describeError } from "./errors";
import { fromLocalInput, toLocalInput, when } from "./format";
import { Link, navigate, pathWith } from "./router";
import { useStartImpersonation } from "./Impersonation";
import { useReauthGuard } from "./reauth";
import { useTitle, type StaffRole } from "./App";

type User = UserDetailsFieldsFragment;

/** One account: what it is, how it signs in, its sessions and history, and what an ADMIN may do to it. */
export function UserPage({ id, role }: { id: string; role: StaffRole }) {
  const { data, error, loading, refetch } = useQuery(UserQuery, { variables: { id } });
  const user = data?.user;
  useTitle(user ? `User ${user.username}` : "User");
  if (loading && !user) return <p role="status">Loading…</p>;
  if (error) return <p className="error" role="alert">{describeError(error)}</p>;
  if (!user) {
    return (
      <>
        <h1>No such user</h1>
        <p>There is no account with this id, or it was deleted. <Link to="/users">Search users</Link>.</p>
      </>
    );
  }
  const admin = role === "ADMIN";
  return (
    <>
      <p className="crumbs"><Link to="/users">Users</Link> / {user.username}</p>
      <h1>
        {user.username} {user.disabled && <span className="badge danger">disabled</span>}
      </h1>
      <div className="columns">
        <Profile user={user} />
        <Security user={user} admin={admin} />
      </div>
      <Sessions userId={user.id} admin={admin} />
      {admin && <Actions user={user} onChanged={() => refetch()} />}
      {admin && <UserAudit userId={user.id} />}
    </>
  );
}

function Details({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl>
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value ?? "–"}</dd>
        </div>
      ))}
    </dl>
  );
}

function Profile({ user }: { user: User }) {
  const p = user.profile;
  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <Details
        rows={[
          ["Username", user.username],
          ["E-mail", user.email ? `${user.email}${user.emailVerified ? " (verified)" : " (not verified)"}` : "none"],
          ...(user.pendingEmail ? ([["Pending e-mail", user.pendingEmail]] as Array<[string, ReactNode]>) : []),
          ["Name", p.name],
          ["Contact", p.contact],
          ["Address", p.address],
          ["Occupation", p.occupation],
          ["Hobby", p.hobby],
          ["Highest qualification", p.highestQualification],
          ["Date of birth", p.dateOfBirth ? new Date(p.dateOfBirth).toLocaleDateString() : null],
          ["Id", <code key="id">{user.id}</code>],
        ]}
      />
    </section>
  );
}

function Security({ user, admin }: { user: User; admin: boolean }) {
  return (
    <section className="card" aria-labelledby="security-heading">
      <h2 id="security-heading">Access</h2>
      <Details
        rows={[
          ["Role", user.role.toLowerCase()],
          ["Status", user.disabled ? "disabled" : "enabled"],
          ...(user.disabled
            ? ([
                ["Ban reason", user.disabledReason ?? "none given"],
                ["Ban ends", user.disabledUntil ? when(user.disabledUntil) : "when an admin lifts it"],
              ] as Array<[string, ReactNode]>)
            : []),
          ["Two-factor", user.twoFactorEnabled ? "on" : "off"],
          ["Linked providers", admin ? (user.linkedProviders.length ? user.linkedProviders.join(", ") : "none") : "hidden from moderators"],
          ["Created", when(user.createdAt)],
          ["Last sign-in", when(user.lastLoginAt)],
          ["Last changed", when(user.updatedAt)],
        ]}
      />
    </section>
  );
}

/**
 * The account's sessions, kept current live: every session that starts or ends arrives over the
 * userSessionEvents subscription and the list is read again.
 */
function Sessions({ userId, admin }: { userId: string; admin: boolean }) {
  const { data, error, refetch } = useQuery(UserSessionsQuery, { variables: { userId }, fetchPolicy: "cache-and-network" });
  const live = useSubscription(UserSessionEventsSubscription, { variables: { userId }, onData: () => void refetch() });
  const [revoke, revoking] = useMutation(RevokeUserSessionMutation);
  const { run, view } = useOutcome();
  const sessions = data?.userSessions ?? [];
  return (
    <section className="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      {live.error ? (
        <p className="row muted" data-testid="live-state">
          Live updates stopped ({describeError(live.error)}).
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              // Reading the list over HTTP renews an expired access cookie first; then reconnect.
              await refetch().catch(() => undefined);
              live.restart();
            }}
          >
            Reconnect
          </button>
        </p>
      ) : (
        <p className="muted" data-testid="live-state">Updated live as sessions start and end.</p>
      )}
      {error && <p className="error" role="alert">{describeError(error)}</p>}
      {data && sessions.length === 0 && <p>No active sessions.</p>}
      {sessions.length > 0 && (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Device</th><th scope="col">IP</th><th scope="col">Started</th><th scope="col">Last seen</th>
                <th scope="col">Last proof of identity</th>{admin && <th scope="col"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id} data-testid="user-session">
                  <td>{session.userAgent ?? "unknown"}{session.current && <strong> (your session)</strong>}</td>
                  <td>{session.ip ?? "–"}</td>
                  <td>{when(session.createdAt)}</td>
                  <td>{when(session.lastSeenAt)}</td>
                  <td>{when(session.authenticatedAt)}</td>
                  {admin && (
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        disabled={revoking.loading}
                        aria-label={`Revoke the session started ${when(session.createdAt)} from ${session.ip ?? "an unknown address"}`}
                        onClick={() =>
                          void run(async () => {
                            await revoke({ variables: { userId, sessionId: session.id } });
                            await refetch();
                          }, "Session revoked.")
                        }
                      >
                        Revoke
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view}
    </section>
  );
}

/** What happened to and by the account, newest first (ADMIN: the audit log filtered to it). */
function UserAudit({ userId }: { userId: string }) {
  const { data, error } = useQuery(AuditLogQuery, { variables: { filter: { userId }, first: 20 }, fetchPolicy: "cache-and-network" });
  const events = data?.auditLog.edges ?? [];
  return (
    <section className="card" aria-labelledby="user-audit-heading">
      <h2 id="user-audit-heading">Audit trail</h2>
      {error && <p className="error" role="alert">{describeError(error)}</p>}
      {data && events.length === 0 && <p>No events.</p>}
      {events.length > 0 && (
        <div className="scroll">
          <table>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Actor</th><th scope="col">IP</th><th scope="col">Details</th></tr>
            </thead>
            <tbody>
              {events.map(({ node: event }) => (
                <tr key={event.id}>
                  <td>{when(event.createdAt)}</td>
                  <td>{event.type}</td>
                  <td>{event.actorId ? (event.actorId === userId ? "themself" : <Link to={`/users/${event.actorId}`}>another account</Link>) : "system"}</td>
                  <td>{event.ip ?? "–"}</td>
                  <td><code>{event.metadata ?? ""}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p><Link to={pathWith("/audit", { userId })}>All of this account's events</Link></p>
    </section>
  );
}

/** Reports an action's outcome next to its button. */
function useOutcome() {
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const guard = useReauthGuard();
  const apollo = useApolloClient();
  const run = async (action: () => Promise<unknown>, done: string) => {
    setOutcome(undefined);
    try {
      await guard(action);
      setOutcome({ ok: true, text: done });
      // The page shows the account, its sessions and its audit trail: read them all again.
      await apollo.refetchQueries({ include: "active" }).catch(() => undefined);
    } catch (error) {
      setOutcome({ ok: false, text: describeError(error) });
    }
  };
  const view = outcome && (
    <p className={outcome.ok ? "ok" : "error"} role={outcome.ok ? "status" : "alert"}>{outcome.text}</p>
  );
  return { run, view };
}

function Actions({ user, onChanged }: { user: User; onChanged: () => void }) {
  return (
    <section className="card" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      <div className="columns">
        <RoleForm user={user} />
        <BanForm user={user} onChanged={onChanged} />
        <RevokeAll user={user} />
        <SendReset user={user} />
        <Impersonate user={user} />
        <DeleteUser user={user} />
      </div>
      <EditForm user={user} />
    </section>
  );
}

function RoleForm({ user }: { user: User }) {
  const [setRole, { loading }] = useMutation(SetUserRoleMutation);
  const { run, view } = useOutcome();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const role = String(new FormData(event.currentTarget).get("role")) as Role;
    void run(() => setRole({ variables: { userId: user.id, role } }), `Role set to ${role.toLowerCase()}.`);
  };
  return (
    <form onSubmit={submit} aria-labelledby="role-heading" className="action">
      <h3 id="role-heading">Role</h3>
      <label>
        Role
        <select name="role" defaultValue={user.role} key={user.role}>
          <option value="USER">User</option>
          <option value="MODERATOR">Moderator</option>
          <option value="ADMIN">Admin</option>
        </select>
      </label>
      <button type="submit" disabled={loading}>Change role</button>
      {view}
    </form>
  );
}

function BanForm({ user, onChanged }: { user: User; onChanged: () => void }) {
  const [setDisabled, { loading }] = useMutation(SetUserDisabledMutation);
  const { run, view } = useOutcome();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const reason = String(form.get("reason") ?? "").trim();
    const until = fromLocalInput(String(form.get("until") ?? ""));
    void run(async () => {
      await setDisabled({ variables: { userId: user.id, disabled: true, reason: reason || null, until: until ?? null } });
      onChanged();
    }, "Account banned; its sessions were ended.");
  };
  const unban = () =>
    void run(async () => {
      await setDisabled({ variables: { userId: user.id, disabled: false } });
      onChanged();
    }, "Ban lifted.");
  return (
    <form onSubmit={submit} aria-labelledby="ban-heading" className="action">
      <h3 id="ban-heading">{user.disabled ? "Banned" : "Ban"}</h3>
      <p>A banned account cannot sign in; its sessions end at once. A ban with an end lifts itself.</p>
      <label>
        Reason (shown to moderators and admins)
        <textarea name="reason" rows={2} maxLength={500} defaultValue={user.disabledReason ?? ""} key={user.disabledReason ?? ""} />
      </label>
      <label>
        Until (leave empty for no end)
        <input name="until" type="datetime-local" defaultValue={toLocalInput(user.disabledUntil)} key={user.disabledUntil ?? ""} />
      </label>
      <div className="row">
        <button type="submit" className="danger" disabled={loading}>{user.disabled ? "Update ban" : "Ban"}</button>
        {user.disabled && <button type="button" onClick={unban} disabled={loading}>Unban</button>}
      </div>
      {view}
    </form>
  );
}

function RevokeAll({ user }: { user: User }) {
  const [revoke, { loading }] = useMutation(RevokeUserSessionsMutation);
  const { run, view } = useOutcome();
  return (
    <div className="action">
      <h3>Sign out everywhere</h3>
      <p>Ends every session of {user.username}.</p>
      <button
        type="button"
        disabled={loading}
        onClick={() =>
          void run(async () => {
            const result = await revoke({ variables: { userId: user.id } });
            return result.data?.revokeUserSessions;
          }, "Every session was ended.")
        }
      >
        Revoke all sessions
      </button>
      {view}
    </div>
  );
}

function SendReset({ user }: { user: User }) {
  const [send, { loading }] = useMutation(SendPasswordResetMutation);
  const { run, view } = useOutcome();
  return (
    <div className="action">
      <h3>Password reset</h3>
      <p>{user.email ? `Mails a reset link to ${user.email}.` : "The account has no e-mail address to send a link to."}</p>
      <button type="button" disabled={loading || !user.email} onClick={() => void run(() => send({ variables: { userId: user.id } }), "Reset link sent.")}>
        Send password reset
      </button>
      {view}
    </div>
  );
}

function Impersonate({ user }: { user: User }) {
  const [impersonate, { loading }] = useMutation(ImpersonateUserMutation);
  const start = useStartImpersonation();
  const { run, view } = useOutcome();
  if (user.role === "ADMIN") return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get("reason") ?? "").trim();
    void run(async () => {
      const result = await impersonate({ variables: { userId: user.id, reason } });
      const payload = result.data!.impersonateUser;
      if (!payload.accessToken) throw new Error("The server sent no token for the impersonated session.");
      start({ accessToken: payload.accessToken, username: payload.user.username });
    }, "Impersonation started.");
  };
  return (
    <form onSubmit={submit} aria-labelledby="impersonate-heading" className="action">
      <h3 id="impersonate-heading">Impersonate</h3>
      <p>See the account as its user does, for at most an hour; everything done is audited with you as the actor.</p>
      <label>
        Reason for the audit trail
        <input name="reason" required maxLength={500} />
      </label>
      <button type="submit" disabled={loading || user.disabled}>Impersonate</button>
      {view}
    </form>
  );
}

function DeleteUser({ user }: { user: User }) {
  const [remove, { loading }] = useMutation(DeleteUserMutation);
  const { run, view } = useOutcome();
  const [confirming, setConfirming] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      await remove({ variables: { userId: user.id } });
      navigate("/users");
    }, "Account deleted.");
  };
  return (
    <form onSubmit={submit} aria-labelledby="delete-heading" className="action">
      <h3 id="delete-heading">Delete</h3>
      <p>Removes the account's personal data, ways in and sessions; the audit trail keeps its id.</p>
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>Delete account…</button>
      ) : (
        <>
          <label>
            Type {user.username} to confirm
            <input name="confirm" required pattern={user.username.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} autoComplete="off" />
          </label>
          <div className="row">
            <button type="submit" className="danger" disabled={loading}>Delete permanently</button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </>
      )}
      {view}
    </form>
  );
}

const PROFILE_FIELDS = [
  ["name", "Name"],
  ["contact", "Contact"],
  ["address", "Address"],
  ["occupation", "Occupation"],
  ["hobby", "Hobby"],
  ["highestQualification", "Highest qualification"],
] as const;

function EditForm({ user }: { user: User }) {
  const [update, { loading }] = useMutation(UpdateUserMutation);
  const { run, view } = useOutcome();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const input: Record<string, unknown> = {};
    // Only what changed is sent: a field left out stays as it is.
    if (text("username") !== user.username) input.username = text("username");
    if (text("email") !== (user.email ?? "")) input.email = text("email") || null;
    const verified = form.get("emailVerified") === "on";
    if (verified !== user.emailVerified) input.emailVerified = verified;
    for (const [name] of PROFILE_FIELDS) if (text(name) !== (user.profile[name] ?? "")) input[name] = text(name) || null;
    const birth = text("dateOfBirth");
    if (birth !== (user.profile.dateOfBirth ?? "").slice(0, 10)) input.dateOfBirth = birth ? `${birth}T00:00:00.000Z` : null;
    if (Object.keys(input).length === 0) return;
    void run(() => update({ variables: { userId: user.id, input } }), "Saved.");
  };
  return (
    <form onSubmit={submit} aria-labelledby="edit-heading" className="edit" key={user.updatedAt}>
      <h3 id="edit-heading">Edit</h3>
      <div className="columns">
        <label>Username <input name="username" defaultValue={user.username} required minLength={3} maxLength={32} /></label>
        <label>E-mail <input name="email" type="email" defaultValue={user.email ?? ""} /></label>
        <label className="inline"><input name="emailVerified" type="checkbox" defaultChecked={user.emailVerified} /> Address verified</label>
        {PROFILE_FIELDS.map(([name, label]) => (
          <label key={name}>{label} <input name={name} defaultValue={user.profile[name] ?? ""} /></label>
        ))}
        <label>Date of birth <input name="dateOfBirth" type="date" defaultValue={(user.profile.dateOfBirth ?? "").slice(0, 10)} /></label>
      </div>
      <button type="submit" disabled={loading}>Save changes</button>
      {view}
    </form>
  );
}
