import { useEffect, useState, type FormEvent } from "react";
import { useQuery } from "@apollo/client/react";
import { SearchUsersQuery } from "./operations";
import type { OrderDirection, Role, UserOrderField } from "./gql/graphql";
import { describeError } from "./errors";
import { when } from "./format";
import { Link, navigate, pathWith } from "./router";
import { useTitle, type StaffRole } from "./App";
import { CreateUser } from "./CreateUser";

const PAGE_SIZE = 25;

// The sort choices, as they appear in the address (?sort=username-asc).
const SORTS: Record<string, { label: string; field: UserOrderField; direction: OrderDirection }> = {
  "created-desc": { label: "Newest first", field: "CREATED_AT", direction: "DESC" },
  "created-asc": { label: "Oldest first", field: "CREATED_AT", direction: "ASC" },
  "username-asc": { label: "Username A to Z", field: "USERNAME", direction: "ASC" },
  "username-desc": { label: "Username Z to A", field: "USERNAME", direction: "DESC" },
  "login-desc": { label: "Last sign-in, latest first", field: "LAST_LOGIN_AT", direction: "DESC" },
  "login-asc": { label: "Last sign-in, earliest first", field: "LAST_LOGIN_AT", direction: "ASC" },
};

const yesNo = (value: string | null) => (value === "yes" ? true : value === "no" ? false : undefined);

/** The search: its query, filters, sort and page cursor are all in the address. */
export function UsersPage({ params, role: viewerRole }: { params: URLSearchParams; role: StaffRole }) {
  useTitle("Users");
  const q = params.get("q") ?? "";
  const role = params.get("role") ?? "";
  const verified = params.get("verified") ?? "";
  const status = params.get("status") ?? "";
  const sort = params.get("sort") && SORTS[params.get("sort")!] ? params.get("sort")! : "created-desc";
  const after = params.get("after") ?? undefined;
  const searchParams = { q, role, verified, status, sort: sort === "created-desc" ? "" : sort };

  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  // Typing searches after a short pause; the address follows without adding history entries.
  useEffect(() => {
    if (text === q) return;
    const timer = setTimeout(() => navigate(pathWith("/users", { ...searchParams, q: text.trim() }), { replace: true }), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const { data, previousData, error, loading } = useQuery(SearchUsersQuery, {
    variables: {
      filter: {
        query: q || undefined,
        role: (role || undefined) as Role | undefined,
        emailVerified: yesNo(verified),
        disabled: status === "disabled" ? true : status === "enabled" ? false : undefined,
      },
      orderBy: { field: SORTS[sort].field, direction: SORTS[sort].direction },
      first: PAGE_SIZE,
      after,
    },
  });
  const result = (data ?? previousData)?.searchUsers;

  const change = (name: string, value: string) => navigate(pathWith("/users", { ...searchParams, q: text.trim(), [name]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(pathWith("/users", { ...searchParams, q: text.trim() }));
  };

  return (
    <>
      <h1>Users</h1>
      <form role="search" aria-label="Search users" onSubmit={submit} className="card filters">
        <label className="grow">
          Search by name, username or e-mail
          <input type="search" name="q" value={text} onChange={(event) => setText(event.target.value)} autoFocus maxLength={200} />
        </label>
        <label>
          Role
          <select value={role} onChange={(event) => change("role", event.target.value)}>
            <option value="">Any</option>
            <option value="USER">User</option>
            <option value="MODERATOR">Moderator</option>
            <option value="ADMIN">Admin</option>
          </select>
        </label>
        <label>
          E-mail verified
          <select value={verified} onChange={(event) => change("verified", event.target.value)}>
            <option value="">Any</option>
            <option value="yes">Verified</option>
            <option value="no">Not verified</option>
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(event) => change("status", event.target.value)}>
            <option value="">Any</option>
            <option value="enabled">Enabled</option>
            <option value="disabled">Disabled</option>
          </select>
        </label>
        <label>
          Sort
          <select value={sort} onChange={(event) => change("sort", event.target.value === "created-desc" ? "" : event.target.value)}>
            {Object.entries(SORTS).map(([value, { label }]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {viewerRole === "ADMIN" && <CreateUser />}

      <section aria-labelledby="results-heading" className="card">
        <h2 id="results-heading">
          Results{result ? `: ${result.totalCount} ${result.totalCount === 1 ? "account" : "accounts"}` : ""}
        </h2>
        <p className="sr-only" role="status">{loading ? "Searching…" : result ? `${result.totalCount} found` : ""}</p>
        {error && <p className="error" role="alert">{describeError(error)}</p>}
        {result && result.edges.length === 0 && <p>No account matches.</p>}
        {result && result.edges.length > 0 && (
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last sign-in</th>
                </tr>
              </thead>
              <tbody>
                {result.edges.map(({ node: user }) => (
                  <tr key={user.id} data-testid="user-row">
                    <td><Link to={`/users/${encodeURIComponent(user.id)}`}>{user.username}</Link></td>
                    <td>{user.email ?? "–"}{user.email && !user.emailVerified && <span className="muted"> (not verified)</span>}</td>
                    <td>{user.profile.name ?? "–"}</td>
                    <td>{user.role.toLowerCase()}</td>
                    <td>{user.disabled ? <span className="badge danger">disabled</span> : "enabled"}</td>
                    <td>{when(user.createdAt)}</td>
                    <td>{when(user.lastLoginAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav aria-label="Result pages" className="row">
          {after && <Link to={pathWith("/users", searchParams)}>First page</Link>}
          {result?.pageInfo.hasNextPage && result.pageInfo.endCursor && (
            <Link to={pathWith("/users", { ...searchParams, after: result.pageInfo.endCursor })}>Next page</Link>
          )}
        </nav>
      </section>
    </>
  );
}
