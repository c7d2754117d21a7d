import { type FormEvent } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import type { OrganizationRole } from "./gql/graphql";
import {
  InviteMemberMutation,
  LeaveOrganizationMutation,
  MyOrganizationsQuery,
  OrganizationMembersQuery,
  OrganizationQuery,
  RemoveMemberMutation,
  ResendInvitationMutation,
  RevokeInvitationMutation,
  SetMemberRoleMutation,
} from "./organization-operations";
import { describeError } from "./errors";

const ROLES: OrganizationRole[] = ["OWNER", "ADMIN", "MEMBER"];
const PAGE_SIZE = 20;

/** One organization: its members and invitations (OWNERs and ADMINs), inviting, roles, removal, leaving. */
export function OrganizationDetail({ organizationId, viewerId, onClose }: { organizationId: string; viewerId: string; onClose: () => void }) {
  const { data, error } = useQuery(OrganizationQuery, { variables: { id: organizationId }, fetchPolicy: "cache-and-network" });
  const [leave, leaving] = useMutation(LeaveOrganizationMutation, { refetchQueries: [MyOrganizationsQuery], awaitRefetchQueries: true });
  const organization = data?.organization;
  const manages = organization?.viewerRole === "OWNER" || organization?.viewerRole === "ADMIN";

  const leaveIt = async () => {
    const result = await leave({ variables: { organizationId } }).catch(() => undefined);
    if (result?.data?.leaveOrganization) onClose();
  };

  return (
    <section className="organization" aria-labelledby="organization-heading">
      <h3 id="organization-heading">{organization ? organization.name : "Organization"}</h3>
      {organization && (
        <p>
          <small>{organization.slug}</small> · you are {organization.viewerRole ? organization.viewerRole.toLowerCase() : "not a member"}
        </p>
      )}
      {error && <p className="error" role="alert">{describeError(error)}</p>}
      {manages && <Members organizationId={organizationId} viewerId={viewerId} viewerRole={organization.viewerRole!} />}
      <div className="actions">
        <button type="button" className="secondary" onClick={leaveIt} disabled={leaving.loading}>
          Leave this organization
        </button>
        <button type="button" className="secondary" onClick={onClose}>Close</button>
      </div>
      {leaving.error && <p className="error" role="alert">{describeError(leaving.error)}</p>}
    </section>
  );
}

function Members({ organizationId, viewerId, viewerRole }: { organizationId: string; viewerId: string; viewerRole: OrganizationRole }) {
  const { data, error, fetchMore, refetch } = useQuery(OrganizationMembersQuery, {
    variables: { id: organizationId, first: PAGE_SIZE },
    fetchPolicy: "cache-and-network",
  });
  const [setRole, settingRole] = useMutation(SetMemberRoleMutation);
  const [remove, removing] = useMutation(RemoveMemberMutation);
  const members = data?.organization?.members;
  const invitations = data?.organization?.invitations ?? [];
  const actionError = settingRole.error ?? removing.error;

  const more = () =>
    fetchMore({
      variables: { after: members?.pageInfo.endCursor },
      // The next page's edges after the ones on screen.
      updateQuery: (previous, { fetchMoreResult }) => {
        const before = previous.organization?.members;
        const next = fetchMoreResult.organization?.members;
        if (!before || !next || !fetchMoreResult.organization) return previous as typeof fetchMoreResult;
        return { ...fetchMoreResult, organization: { ...fetchMoreResult.organization, members: { ...next, edges: [...before.edges, ...next.edges] } } };
      },
    }).catch(() => undefined);

  const changeRole = async (userId: string, role: OrganizationRole) => {
    await setRole({ variables: { organizationId, userId, role } }).catch(() => undefined);
    await refetch().catch(() => undefined);
  };
  const removeMember = async (userId: string) => {
    await remove({ variables: { organizationId, userId } }).catch(() => undefined);
    await refetch().catch(() => undefined);
  };

  return (
    <>
      <h4 id="members-heading">Members{members ? ` (${members.totalCount})` : ""}</h4>
      <table aria-labelledby="members-heading">
        <thead>
          <tr><th>User</th><th>Role</th><th>Joined</th><th /></tr>
        </thead>
        <tbody>
          {members?.edges.map(({ node }) => {
            const self = node.user.id === viewerId;
            return (
              <tr key={node.id} data-testid="member">
                <td>{node.user.username}{self && <strong> (you)</strong>}</td>
                <td>
                  <label className="inline">
                    <span className="visually-hidden">Role of {node.user.username}</span>
                    <select
                      value={node.role}
                      disabled={settingRole.loading || (viewerRole !== "OWNER" && node.role === "OWNER")}
                      onChange={(event) => changeRole(node.user.id, event.target.value as OrganizationRole)}
                    >
                      {ROLES.map((role) => <option key={role} value={role}>{role.toLowerCase()}</option>)}
                    </select>
                  </label>
                </td>
                <td>{new Date(node.createdAt).toLocaleDateString()}</td>
                <td>
                  {!self && (
                    <button type="button" disabled={removing.loading} onClick={() => removeMember(node.user.id)} aria-label={`Remove ${node.user.username}`}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {members?.pageInfo.hasNextPage && <button type="button" onClick={more}>More members</button>}
      {(error || actionError) && <p className="error" role="alert">{describeError(error ?? actionError)}</p>}
      <Invitations organizationId={organizationId} invitations={invitations} viewerRole={viewerRole} onChange={() => refetch().catch(() => undefined)} />
    </>
  );
}

type InvitationRow = { id: string; email: string; role: OrganizationRole; expiresAt: string };

function Invitations(props: { organizationId: string; invitations: InvitationRow[]; viewerRole: OrganizationRole; onChange: () => unknown }) {
  const [invite, inviting] = useMutation(InviteMemberMutation);
  const [revoke, revoking] = useMutation(RevokeInvitationMutation);
  const [resend, resending] = useMutation(ResendInvitationMutation);
  const error = inviting.error ?? revoking.error ?? resending.error;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const email = String(form.get("email") ?? "").trim();
    const role = String(form.get("role") ?? "MEMBER") as OrganizationRole;
    const result = await invite({ variables: { organizationId: props.organizationId, email, role } }).catch(() => undefined);
    if (result?.data) formElement.reset();
    await props.onChange();
  };
  const act = async (send: () => Promise<unknown>) => {
    await send().catch(() => undefined);
    await props.onChange();
  };

  return (
    <>
      <h4 id="invitations-heading">Invitations</h4>
      {props.invitations.length === 0 ? (
        <p>No pending invitations.</p>
      ) : (
        <ul aria-labelledby="invitations-heading">
          {props.invitations.map((invitation) => (
            <li key={invitation.id} data-testid="invitation">
              {invitation.email} · {invitation.role.toLowerCase()} · until {new Date(invitation.expiresAt).toLocaleString()}{" "}
              <button type="button" disabled={resending.loading} onClick={() => act(() => resend({ variables: { id: invitation.id } }))} aria-label={`Resend the invitation to ${invitation.email}`}>
                Resend
              </button>{" "}
              <button type="button" disabled={revoking.loading} onClick={() => act(() => revoke({ variables: { id: invitation.id } }))} aria-label={`Revoke the invitation to ${invitation.email}`}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} aria-label="Invite a member">
        <label>E-mail <input name="email" type="email" required autoComplete="off" /></label>
        <label>
          Role
          <select name="role" defaultValue="MEMBER">
            {ROLES.filter((role) => props.viewerRole === "OWNER" || role !== "OWNER").map((role) => (
              <option key={role} value={role}>{role.toLowerCase()}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={inviting.loading}>Send invitation</button>
        {inviting.data && !inviting.error && <p className="ok" role="status">Invitation sent to {inviting.data.inviteMember.email}.</p>}
        {resending.data && !resending.error && <p className="ok" role="status">Invitation sent again to {resending.data.resendInvitation.email}, with a new link.</p>}
      </form>
      {error && <p className="error" role="alert">{describeError(error)}</p>}
    </>
  );
}
