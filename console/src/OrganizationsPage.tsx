import { useState, type FormEvent } from "react";
import { useQuery } from "@apollo/client/react";
import { OrganizationQuery } from "./operations";
import { describeError } from "./errors";
import { when } from "./format";
import { Link, navigate, pathWith } from "./router";
import { useTitle } from "./App";

const PAGE_SIZE = 25;

/** Find an organization by its id (/organizations?id=…): its members, a page at a time, and its pending invitations. */
export function OrganizationsPage({ params }: { params: URLSearchParams }) {
  useTitle("Organizations");
  const id = params.get("id")?.trim() ?? "";
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wanted = String(new FormData(event.currentTarget).get("id") ?? "").trim();
    navigate(pathWith("/organizations", { id: wanted }));
  };
  return (
    <>
      <h1>Organizations</h1>
      <form className="card filters" role="search" aria-label="Find an organization" onSubmit={submit} key={id}>
        <label className="grow">
          Organization ID <input name="id" defaultValue={id} required autoComplete="off" />
        </label>
        <button type="submit">Find</button>
      </form>
      {id && <Organization id={id} />}
    </>
  );
}

function Organization({ id }: { id: string }) {
  const [after, setAfter] = useState<string>();
  const { data, error, loading } = useQuery(OrganizationQuery, { variables: { id, first: PAGE_SIZE, after }, fetchPolicy: "cache-and-network" });
  if (error) return <p className="error" role="alert">{describeError(error)}</p>;
  if (!data) return loading ? <p role="status">Loading…</p> : null;
  const organization = data.organization;
  if (!organization) return <p role="status">No organization has this ID.</p>;
  const members = organization.members;
  return (
    <>
      <section className="card" aria-labelledby="organization-heading">
        <h2 id="organization-heading">{organization.name}</h2>
        <dl>
          <div><dt>Slug</dt><dd>{organization.slug}</dd></div>
          <div><dt>ID</dt><dd><code>{organization.id}</code></dd></div>
          <div><dt>Created</dt><dd>{when(organization.createdAt)}</dd></div>
          <div><dt>Members</dt><dd>{members.totalCount}</dd></div>
        </dl>
      </section>
      <section className="card" aria-labelledby="org-members-heading">
        <h2 id="org-members-heading">Members</h2>
        <div className="scroll">
          <table>
            <thead>
              <tr><th scope="col">User</th><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Joined</th></tr>
            </thead>
            <tbody>
              {members.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td><Link to={`/users/${node.user.id}`}>{node.user.username}</Link></td>
                  <td>{node.user.email ?? "–"}</td>
                  <td>{node.role}</td>
                  <td>{when(node.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="row">
          {after && <button className="secondary" onClick={() => setAfter(undefined)}>First page</button>}
          {members.pageInfo.hasNextPage && <button className="secondary" onClick={() => setAfter(members.pageInfo.endCursor ?? undefined)}>Next page</button>}
        </div>
      </section>
      <section className="card" aria-labelledby="org-invitations-heading">
        <h2 id="org-invitations-heading">Pending invitations</h2>
        {organization.invitations.length === 0 ? (
          <p>None.</p>
        ) : (
          <div className="scroll">
            <table>
              <thead>
                <tr><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Expires</th></tr>
              </thead>
              <tbody>
                {organization.invitations.map((invitation) => (
                  <tr key={invitation.id}>
                    <td>{invitation.email}</td>
                    <td>{invitation.role}</td>
                    <td>{when(invitation.expiresAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
