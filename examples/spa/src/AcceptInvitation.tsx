import { useState } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { ViewerQuery } from "./operations";
import { AcceptInvitationMutation } from "./organization-operations";
import { reloadAfterSignInOrOut } from "./apollo";
import { describeError } from "./errors";
import { linkToken } from "./link-token";
import { LinkPage } from "./LinkPage";
import { LoginForm, RegisterForm } from "./SignedOut";

const TITLE = "Join an organization";

/**
 * /accept-invitation?token=…: signed in, the user accepts with a button (the server checks that
 * their verified e-mail is the invited one); signed out, they sign in here first, or create an
 * account with the invited address, which joins the organization in the same step.
 */
export function AcceptInvitation() {
  const [token] = useState(linkToken);
  const viewer = useQuery(ViewerQuery);
  const [accept, { data, error, loading }] = useMutation(AcceptInvitationMutation);
  const [registered, setRegistered] = useState<string>();
  const me = viewer.data?.viewer;

  if (!token) {
    return (
      <LinkPage title={TITLE}>
        <p className="error" role="alert">This link has no token: open the link from the mail again.</p>
      </LinkPage>
    );
  }
  if (viewer.loading && !me) return <LinkPage title={TITLE}><p role="status">Loading…</p></LinkPage>;

  const joined = data?.acceptInvitation;
  if (joined || (me && registered)) {
    return (
      <LinkPage title={TITLE}>
        <p className="ok" role="status">
          {joined ? <>You joined <strong>{joined.organization.name}</strong> as {joined.role.toLowerCase()}.</> : "You joined the organization."}
        </p>
        <a className="button" href="/">Go to the app</a>
      </LinkPage>
    );
  }

  if (!me) {
    return (
      <LinkPage title={TITLE}>
        <p>You were invited to an organization. Sign in to accept, or create an account with the invited e-mail address.</p>
        <div className="columns">
          <LoginForm identifier={registered} onSignedIn={reloadAfterSignInOrOut} />
          {registered ? (
            <p className="ok card" role="status">Account created, and you joined the organization. Sign in with it.</p>
          ) : (
            <RegisterForm invitationToken={token} onRegistered={setRegistered} />
          )}
        </div>
        {viewer.error && <p className="error" role="alert">{describeError(viewer.error)}</p>}
      </LinkPage>
    );
  }

  return (
    <LinkPage title={TITLE}>
      <p>
        Signed in as <strong data-testid="signed-in-as">{me.username}</strong>. Accept the invitation to join the organization with
        this account (its verified e-mail address must be the invited one).
      </p>
      <button type="button" disabled={loading} onClick={() => accept({ variables: { token } }).catch(() => undefined)}>
        Accept invitation
      </button>
      {error && <p className="error" role="alert">{describeError(error)}</p>}
      <a href="/">Not now, go to the app</a>
    </LinkPage>
  );
}
