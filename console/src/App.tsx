import { useEffect, useState } from "react";
import { useQuery } from "@apollo/client/react";
import { useSignOut } from "@latchkey/client/react";
import { ViewerQuery } from "./operations";
import { reloadAfterSignInOrOut } from "./apollo";
import { describeError } from "./errors";
import { Link, useLocation } from "./router";
import { ReauthProvider } from "./reauth";
import { SignIn } from "./SignIn";
import { UsersPage } from "./UsersPage";
import { UserPage } from "./UserPage";
import { AuditPage } from "./AuditPage";
import { WebhooksPage } from "./WebhooksPage";
import { ClientsPage } from "./ClientsPage";
import { OrganizationsPage } from "./OrganizationsPage";
import { ImpersonationHost } from "./Impersonation";

export type StaffRole = "ADMIN" | "MODERATOR";

/** Signed in when `viewer` is a user: the cookies decide, the console keeps no token. */
export function App() {
  const { data, error, loading, refetch } = useQuery(ViewerQuery);
  const me = data?.viewer;

  if (loading && !me) return <p className="status" role="status">Loading…</p>;
  if (!me) {
    if (error) {
      return (
        <main id="main">
          <h1>Latchkey admin</h1>
          <p className="error" role="alert">{describeError(error)}</p>
          <button onClick={() => refetch()}>Try again</button>
        </main>
      );
    }
    return <SignIn />;
  }
  const role = me.role;
  return (
    <ReauthProvider>
      <ImpersonationHost>
        {me.impersonatedBy && (
          <section className="impersonation" aria-labelledby="impersonation-heading">
            <p id="impersonation-heading">
              <strong>Impersonating {me.username}</strong>, started by {me.impersonatedBy.username}.
            </p>
            <SignOutButton label="End impersonation" />
          </section>
        )}
        <header className="top">
          <p className="brand"><Link to="/users">Latchkey admin</Link></p>
          {role !== "USER" && <Navigation role={role} />}
          <span className="who">
            Signed in as <strong data-testid="signed-in-as">{me.username}</strong> ({role.toLowerCase()})
          </span>
          <SignOutButton />
        </header>
        {role === "USER" ? (
          <main id="main">
            <h1>Not available</h1>
            <p>The admin console is for moderators and administrators. This account is a regular user.</p>
          </main>
        ) : (
          <Pages role={role} />
        )}
      </ImpersonationHost>
    </ReauthProvider>
  );
}

function Navigation({ role }: { role: StaffRole }) {
  const { path } = useLocation();
  const current = (prefix: string) => (path.startsWith(prefix) ? "page" : undefined);
  return (
    <nav aria-label="Console">
      <ul>
        <li><Link to="/users" aria-current={current("/users") ?? (path === "/" ? "page" : undefined)}>Users</Link></li>
        {role === "ADMIN" && <li><Link to="/audit" aria-current={current("/audit")}>Audit log</Link></li>}
        {role === "ADMIN" && <li><Link to="/webhooks" aria-current={current("/webhooks")}>Webhooks</Link></li>}
        {role === "ADMIN" && <li><Link to="/clients" aria-current={current("/clients")}>Clients</Link></li>}
        {role === "ADMIN" && <li><Link to="/organizations" aria-current={current("/organizations")}>Organizations</Link></li>}
      </ul>
    </nav>
  );
}

function Pages({ role }: { role: StaffRole }) {
  const { path, params } = useLocation();
  const userMatch = /^\/users\/([^/]+)$/.exec(path);
  const webhookMatch = /^\/webhooks\/([^/]+)$/.exec(path);
  let page;
  if (path === "/" || path === "/users") page = <UsersPage params={params} role={role} />;
  else if (userMatch) page = <UserPage id={decodeURIComponent(userMatch[1])} role={role} />;
  else if (path === "/audit" && role === "ADMIN") page = <AuditPage params={params} />;
  else if (path === "/webhooks" && role === "ADMIN") page = <WebhooksPage />;
  else if (path === "/clients" && role === "ADMIN") page = <ClientsPage />;
  else if (path === "/organizations" && role === "ADMIN") page = <OrganizationsPage params={params} />;
  else if (webhookMatch && role === "ADMIN") page = <WebhooksPage endpointId={decodeURIComponent(webhookMatch[1])} />;
  else page = <NotFound />;
  return <main id="main">{page}</main>;
}

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>There is no console page at this address. <Link to="/users">Search users</Link>.</p>
    </>
  );
}

/** Sets the document title for the page on screen (screen readers announce it on navigation). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Latchkey admin`;
  }, [title]);
}

export function SignOutButton({ label = "Sign out" }: { label?: string }) {
  const logout = useSignOut();
  const [pending, setPending] = useState(false);
  const signOut = async () => {
    setPending(true);
    await logout().catch(() => undefined);
    setPending(false);
    await reloadAfterSignInOrOut();
  };
  return (
    <button className="secondary" onClick={signOut} disabled={pending}>
      {label}
    </button>
  );
}
