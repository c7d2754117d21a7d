import { useState } from "react";
import { useQuery } from "@apollo/client/react";
import { useSignOut, useViewer } from "@latchkey/client/react";
import { ViewerQuery } from "./operations";
import { reloadAfterSignInOrOut } from "./apollo";
import { describeError } from "./errors";
import { SignedOut } from "./SignedOut";
import { Avatar } from "./Avatar";
import { ProfileForm } from "./ProfileForm";
import { Sessions } from "./Sessions";
import { TwoFactor } from "./TwoFactor";

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
      <ProfileForm me={me} />
      <TwoFactor enabled={me.twoFactorEnabled} />
      <Sessions />
    </main>
  );
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
