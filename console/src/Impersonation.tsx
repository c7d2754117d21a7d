import { createContext, useContext, useMemo, useState } from "react";
import { ApolloProvider, useMutation, useQuery } from "@apollo/client/react";
import { CombinedGraphQLErrors } from "@apollo/client";
import { EndImpersonationMutation, ImpersonatedViewQuery } from "./operations";
import { impersonationClient } from "./apollo";
import { describeError } from "./errors";
import { when } from "./format";
import { useTitle } from "./App";

export interface Impersonation {
  accessToken: string;
  username: string;
}

const StartContext = createContext<(impersonation: Impersonation) => void>(() => undefined);

/** Switches the console into an impersonated session (after impersonateUser answered). */
export function useStartImpersonation(): (impersonation: Impersonation) => void {
  return useContext(StartContext);
}

/**
 * While an impersonation runs, the console shows what that user sees, through the impersonated
 * session's own token, under a banner that names it and ends it (logout). The ADMIN's own
 * cookie session is untouched and takes over again when it ends.
 */
export function ImpersonationHost({ children }: { children: React.ReactNode }) {
  const [current, setCurrent] = useState<Impersonation>();
  const client = useMemo(() => (current ? impersonationClient(current.accessToken) : undefined), [current]);
  if (current && client) {
    return (
      <ApolloProvider client={client}>
        <ImpersonatedView impersonation={current} onEnded={() => setCurrent(undefined)} />
      </ApolloProvider>
    );
  }
  return <StartContext.Provider value={setCurrent}>{children}</StartContext.Provider>;
}

function ImpersonatedView({ impersonation, onEnded }: { impersonation: Impersonation; onEnded: () => void }) {
  useTitle(`Acting as ${impersonation.username}`);
  const { data, error } = useQuery(ImpersonatedViewQuery);
  const [logout, { loading }] = useMutation(EndImpersonationMutation);
  const me = data?.me;
  const ended = CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
  const end = async () => {
    await logout().catch(() => undefined);
    onEnded();
  };
  return (
    <>
      <section className="impersonation" aria-labelledby="impersonation-heading">
        <p id="impersonation-heading">
          <strong>Impersonating {me?.username ?? impersonation.username}</strong>
          {me?.impersonatedBy && <>, started by {me.impersonatedBy.username}</>}. Everything done here is audited with you as the actor.
        </p>
        <button type="button" onClick={end} disabled={loading}>End impersonation</button>
      </section>
      <main id="main">
        <h1>What {impersonation.username} sees</h1>
        {ended && <p className="error" role="alert">The impersonated session has ended. End the impersonation to return.</p>}
        {error && !ended && <p className="error" role="alert">{describeError(error)}</p>}
        {me && (
          <div className="columns">
            <section className="card" aria-labelledby="seen-account-heading">
              <h2 id="seen-account-heading">Account</h2>
              <dl>
                <div><dt>Username</dt><dd>{me.username}</dd></div>
                <div><dt>E-mail</dt><dd>{me.email ?? "none"}{me.email && !me.emailVerified ? " (not verified)" : ""}</dd></div>
                <div><dt>Name</dt><dd>{me.profile.name ?? "–"}</dd></div>
                <div><dt>Role</dt><dd>{me.role.toLowerCase()}</dd></div>
                <div><dt>Two-factor</dt><dd>{me.twoFactorEnabled ? "on" : "off"}</dd></div>
              </dl>
            </section>
            <section className="card" aria-labelledby="seen-sessions-heading">
              <h2 id="seen-sessions-heading">Their sessions</h2>
              <ul>
                {data.mySessions.map((session) => (
                  <li key={session.id}>
                    {session.userAgent ?? "unknown device"}, last seen {when(session.lastSeenAt)}
                    {session.current && <strong> (this impersonation)</strong>}
                  </li>
                ))}
              </ul>
            </section>
          </div>
        )}
      </main>
    </>
  );
}
