import { type FormEvent } from "react";
import { useQuery } from "@apollo/client/react";
import { AuditLogQuery } from "./operations";
import { describeError } from "./errors";
import { fromLocalInput, toLocalInput, when } from "./format";
import { Link, navigate, pathWith } from "./router";
import { useTitle } from "./App";

const PAGE_SIZE = 50;

/** The whole audit trail, newest first, with its filters and page cursor in the address. */
export function AuditPage({ params }: { params: URLSearchParams }) {
  useTitle("Audit log");
  const type = params.get("type") ?? "";
  const userId = params.get("userId") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const cursor = params.get("after") ?? undefined;
  const filters = { type, userId, from, to };

  const { data, previousData, error, loading } = useQuery(AuditLogQuery, {
    variables: {
      filter: { type: type || undefined, userId: userId || undefined, after: from || undefined, before: to || undefined },
      first: PAGE_SIZE,
      after: cursor,
    },
    fetchPolicy: "cache-and-network",
  });
  const log = (data ?? previousData)?.auditLog;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    navigate(
      pathWith("/audit", {
        type: text("type").toUpperCase(),
        userId: text("userId"),
        from: fromLocalInput(text("from")),
        to: fromLocalInput(text("to")),
      }),
    );
  };

  return (
    <>
      <h1>Audit log</h1>
      <form aria-label="Filter events" onSubmit={submit} className="card filters" key={JSON.stringify(filters)}>
        <label>
          Event type
          <input name="type" defaultValue={type} placeholder="LOGIN_FAILED" list="event-types" />
        </label>
        <datalist id="event-types">
          {["LOGIN_SUCCEEDED", "LOGIN_FAILED", "PASSWORD_CHANGED", "ROLE_CHANGED", "USER_DISABLED", "USER_ENABLED", "SESSION_REVOKED"].map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <label>
          Account id
          <input name="userId" defaultValue={userId} />
        </label>
        <label>
          From
          <input name="from" type="datetime-local" defaultValue={toLocalInput(from)} />
        </label>
        <label>
          Until
          <input name="to" type="datetime-local" defaultValue={toLocalInput(to)} />
        </label>
        <div className="row">
          <button type="submit">Filter</button>
          <Link to="/audit" className="button secondary">Clear</Link>
        </div>
      </form>

      <section className="card" aria-labelledby="events-heading">
        <h2 id="events-heading">Events</h2>
        <p className="sr-only" role="status">{loading ? "Loading events…" : ""}</p>
        {error && <p className="error" role="alert">{describeError(error)}</p>}
        {log && log.edges.length === 0 && <p>No events match.</p>}
        {log && log.edges.length > 0 && (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Event</th>
                  <th scope="col">Account</th>
                  <th scope="col">Actor</th>
                  <th scope="col">IP</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {log.edges.map(({ node: event }) => (
                  <tr key={event.id} data-testid="audit-row">
                    <td>{when(event.createdAt)}</td>
                    <td><Link to={pathWith("/audit", { ...filters, type: event.type })}>{event.type}</Link></td>
                    <td>{event.userId ? <Link to={`/users/${event.userId}`}><code>{event.userId.slice(0, 8)}</code></Link> : "–"}</td>
                    <td>{event.actorId ? <Link to={`/users/${event.actorId}`}><code>{event.actorId.slice(0, 8)}</code></Link> : "system"}</td>
                    <td>{event.ip ?? "–"}</td>
                    <td><code>{event.metadata ?? ""}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav aria-label="Event pages" className="row">
          {cursor && <Link to={pathWith("/audit", filters)}>Newest events</Link>}
          {log?.pageInfo.hasNextPage && log.pageInfo.endCursor && (
            <Link to={pathWith("/audit", { ...filters, after: log.pageInfo.endCursor })}>Older events</Link>
          )}
        </nav>
      </section>
    </>
  );
}
