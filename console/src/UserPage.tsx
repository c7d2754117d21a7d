import { useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import {
  AuditLogQuery,
  RevokeUserSessionsMutation,
  SetUserDisabledMutation,
  SetUserRoleMutation,
  UserQuery,
} from "./operations";
import type { Role, UserDetailsFieldsFragment } from "./gql/graphql";
import { describeError } from "./errors";
import { when } from "./format";
import { Link, pathWith } from "./router";
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
  const run = async (action: () => Promise<unknown>, done: string) => {
    setOutcome(undefined);
    try {
      await guard(action);
      setOutcome({ ok: true, text: done });
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
      </div>
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
    const disabled = !user.disabled;
    void run(async () => {
      await setDisabled({ variables: { userId: user.id, disabled } });
      onChanged();
    }, disabled ? "Account disabled; its sessions were ended." : "Account enabled.");
  };
  return (
    <form onSubmit={submit} aria-labelledby="ban-heading" className="action">
      <h3 id="ban-heading">{user.disabled ? "Lift the ban" : "Ban"}</h3>
      <p>{user.disabled ? "The account is disabled and cannot sign in." : "A banned account cannot sign in; its sessions end at once."}</p>
      <button type="submit" className={user.disabled ? undefined : "danger"} disabled={loading}>
        {user.disabled ? "Unban" : "Ban"}
      </button>
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
