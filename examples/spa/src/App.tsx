import { useEffect, useState } from "react";
import { createClient } from "graphql-ws";
import { watchSessionEvents } from "@latchkey/client";
import { useQuery } from "@apollo/client/react";
import { useSignOut, useViewer } from "@latchkey/client/react";
import { ViewerQuery } from "./operations";
import { client, latchkey, reloadAfterSignInOrOut } from "./apollo";
import { describeError } from "./errors";
import { SignedOut } from "./SignedOut";
import { Avatar } from "./Avatar";
import { ProfileForm } from "./ProfileForm";
import { Sessions } from "./Sessions";
import { TwoFactor } from "./TwoFactor";
import { Organizations } from "./Organizations";

/** Signed in when `viewer` is a user; the cookies decide, the app keeps no token. Signed out is null, not an error. */
export function App() {
  const { data, error, loading, refetch } = useQuery(ViewerQuery);
  const me = data?.viewer;

  if (loading && !me) return <p className="status">Loading…</p>;
  if (!me) {
    if (error) {
      return (
        <main>
          <p className="error" role="alert">{describeError(error)}</p>
          <button onClick={() => refetch()}>Try again</button>
        </main>
      );
    }
    return <SignedOut />;
  }

  return (
    <main>
      <LiveSessionEvents />
      <header>
        <h1>Latchkey</h1>
        <SignedInAs />
        <LogoutButton />
      </header>
      <section aria-labelledby="me-heading" className="card me">
        <h2 id="me-heading">You</h2>
        <Avatar me={me} />
        <dl>
          <dt>Username</dt>
          <dd>{me.username}</dd>
          <dt>E-mail</dt>
          <dd>{me.email ?? "none"}{me.email && !me.emailVerified ? " (not verified)" : ""}</dd>
          <dt>Role</dt>
          <dd>{me.role}</dd>
          <dt>Name</dt>
          <dd>{me.profile.name ?? "–"}</dd>
        </dl>
      </section>
      <Organizations viewerId={me.id} />
      <ProfileForm me={me} />
      <TwoFactor enabled={me.twoFactorEnabled} />
      <Sessions />
    </main>
  );
}

/**
 * While signed in, follows the session's events over WebSocket (sessionEvents): when the session
 * ends anywhere (a sign-out in another tab or on another device, an administrator) or the account
 * is disabled, the app forgets what it holds and shows the sign-in page at once, without waiting
 * for its next request; a role change shows at once too. The browser sends the lk_access cookie
 * with the upgrade.
 */
function LiveSessionEvents() {
  useEffect(() => {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
    return watchSessionEvents({
      latchkey,
      createClient,
      url,
      onEvent: (event) => {
        if (event.type === "SESSION_REVOKED" || event.type === "ACCOUNT_DISABLED") void reloadAfterSignInOrOut();
        // A new role shows at once (the viewer query reads it from the server).
        else if (event.type === "ROLE_CHANGED") void client.refetchQueries({ include: "active" });
      },
    });
  }, []);
  return null;
}

function LogoutButton() {
  const logout = useSignOut();
  const [loading, setLoading] = useState(false);
  const signOut = async () => {
    setLoading(true);
    // Ends the session (the server clears the cookies) and tells the auth store.
    await logout().catch(() => undefined);
    setLoading(false);
    // Refetches `viewer`, which now answers null: the sign-in page shows.
    await reloadAfterSignInOrOut();
  };
  return (
    <button onClick={signOut} disabled={loading}>
      Sign out
    </button>
  );
}

/**
 * The header's "signed in as", through @latchkey/client's useViewer: a component that needs only
 * who is signed in can ask the library instead of sharing the page's query.
 */
function SignedInAs() {
  const { viewer } = useViewer();
  if (!viewer) return null;
  return (
    <span>
      Signed in as <strong data-testid="signed-in-as">{viewer.username}</strong>
    </span>
  );
}
