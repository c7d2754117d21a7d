import { useMutation, useQuery } from "@apollo/client/react";
import { MySessionsQuery, RevokeSessionMutation } from "./operations";
import { describeError } from "./errors";

export function Sessions() {
  const { data, error, refetch } = useQuery(MySessionsQuery, { fetchPolicy: "cache-and-network" });
  const [revoke, revoking] = useMutation(RevokeSessionMutation);

  return (
    <section className="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are signed in</h2>
      <table>
        <thead>
          <tr><th>Device</th><th>IP</th><th>Started</th><th>Last seen</th><th /></tr>
        </thead>
        <tbody>
          {data?.mySessions.map((session) => (
            <tr key={session.id} data-testid="session">
              <td>{session.userAgent ?? "unknown"}{session.current && <strong> (this browser)</strong>}</td>
              <td>{session.ip ?? ""}</td>
              <td>{new Date(session.createdAt).toLocaleString()}</td>
              <td>{new Date(session.lastSeenAt).toLocaleString()}</td>
              <td>
                {!session.current && (
                  <button
                    disabled={revoking.loading}
                    onClick={async () => {
                      await revoke({ variables: { id: session.id } }).catch(() => undefined);
                      await refetch();
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(error || revoking.error) && <p className="error" role="alert">{describeError(error ?? revoking.error)}</p>}
    </section>
  );
}
