import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import {
  ActiveOrganizationQuery,
  CreateOrganizationMutation,
  MyOrganizationsQuery,
  SetActiveOrganizationMutation,
} from "./organization-operations";
import { client, latchkey } from "./apollo";
import { describeError } from "./errors";
import { OrganizationDetail } from "./OrganizationDetail";

const field = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

/**
 * The organizations the user belongs to, the active one marked; create one; open one to manage
 * its members and invitations; make one active, so later access tokens say which organization
 * the app acts for (org_id, org_role).
 */
export function Organizations({ viewerId }: { viewerId: string }) {
  const { data, error } = useQuery(MyOrganizationsQuery, { fetchPolicy: "cache-and-network" });
  const active = useQuery(ActiveOrganizationQuery, { fetchPolicy: "cache-and-network" });
  const activeId = active.data?.mySessions.find((session) => session.current)?.activeOrganization?.id ?? null;
  const [openId, setOpenId] = useState<string>();
  const [setActive, switching] = useMutation(SetActiveOrganizationMutation);
  const memberships = data?.viewer?.organizations ?? [];
  const open = memberships.find((membership) => membership.organization.id === openId);

  const switchTo = async (id: string | null) => {
    const result = await setActive({ variables: { id } }).catch(() => undefined);
    if (!result?.data) return;
    // The access cookie in hand was minted before the switch: renew it now, so the next
    // requests carry the new organization's claims, then show the change.
    await latchkey.refresher.refresh();
    await client.refetchQueries({ include: [ActiveOrganizationQuery, MyOrganizationsQuery] });
  };

  return (
    <section className="card" aria-labelledby="organizations-heading">
      <h2 id="organizations-heading">Organizations</h2>
      {memberships.length === 0 ? (
        <p>You are not a member of any organization yet.</p>
      ) : (
        <ul className="organizations" aria-label="Your organizations">
          {memberships.map(({ id, role, organization }) => {
            const isActive = organization.id === activeId;
            return (
              <li key={id} data-testid="organization" aria-current={isActive ? "true" : undefined}>
                <span>
                  <strong>{organization.name}</strong> <small>{organization.slug}</small> · {role.toLowerCase()}
                  {isActive && <strong className="badge"> (active)</strong>}
                </span>
                <button type="button" onClick={() => setOpenId(organization.id)} aria-label={`Open ${organization.name}`}>
                  Open
                </button>
                {isActive ? (
                  <button type="button" disabled={switching.loading} onClick={() => switchTo(null)} aria-label={`Stop acting for it: ${organization.name}`}>
                    Stop acting for it
                  </button>
                ) : (
                  <button type="button" disabled={switching.loading} onClick={() => switchTo(organization.id)} aria-label={`Make active: ${organization.name}`}>
                    Make active
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {(error || switching.error) && <p className="error" role="alert">{describeError(error ?? switching.error)}</p>}
      <CreateOrganization onCreated={setOpenId} />
      {open && (
        <OrganizationDetail
          key={open.organization.id}
          organizationId={open.organization.id}
          viewerId={viewerId}
          onClose={() => setOpenId(undefined)}
        />
      )}
    </section>
  );
}

function CreateOrganization({ onCreated }: { onCreated: (id: string) => void }) {
  const [create, { loading, error }] = useMutation(CreateOrganizationMutation, { refetchQueries: [MyOrganizationsQuery], awaitRefetchQueries: true });
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await create({ variables: { input: { name: field(form, "name"), slug: field(form, "slug") } } }).catch(() => undefined);
    if (result?.data) {
      formElement.reset();
      onCreated(result.data.createOrganization.id);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="new-organization-heading">
      <h3 id="new-organization-heading">New organization</h3>
      <label>Name <input name="name" required autoComplete="organization" /></label>
      <label>
        Slug <input name="slug" required pattern="[a-z0-9\-]+" autoComplete="off" />
        <small>lower-case letters, digits and hyphens; unique</small>
      </label>
      <button type="submit" disabled={loading}>Create organization</button>
      {error && <p className="error" role="alert">{describeError(error)}</p>}
    </form>
  );
}
