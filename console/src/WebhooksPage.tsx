import { useState } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { RedeliverWebhookMutation, WebhookDeliveriesQuery, WebhookEndpointsQuery } from "./operations";
import { describeError } from "./errors";
import { when } from "./format";
import { Link } from "./router";
import { useReauthGuard } from "./reauth";
import { useTitle } from "./App";

/** The webhook endpoints; with one chosen (/webhooks/<id>), its deliveries and redelivery. */
export function WebhooksPage({ endpointId }: { endpointId?: string }) {
  useTitle("Webhooks");
  const { data, error } = useQuery(WebhookEndpointsQuery, { fetchPolicy: "cache-and-network" });
  const endpoints = data?.webhookEndpoints ?? [];
  const chosen = endpoints.find((endpoint) => endpoint.id === endpointId);
  return (
    <>
      <h1>Webhooks</h1>
      <section className="card" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">Endpoints</h2>
        {error && <p className="error" role="alert">{describeError(error)}</p>}
        {data && endpoints.length === 0 && <p>No endpoints. Add one with the createWebhookEndpoint mutation.</p>}
        {endpoints.length > 0 && (
          <div className="scroll">
            <table>
              <thead>
                <tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Created</th></tr>
              </thead>
              <tbody>
                {endpoints.map((endpoint) => (
                  <tr key={endpoint.id} aria-current={endpoint.id === endpointId ? "true" : undefined}>
                    <td><Link to={`/webhooks/${endpoint.id}`}>{endpoint.url}</Link></td>
                    <td>{endpoint.events.join(", ")}</td>
                    <td>{endpoint.enabled ? "enabled" : <span className="badge danger">disabled</span>}</td>
                    <td>{when(endpoint.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {endpointId && <Deliveries endpointId={endpointId} url={chosen?.url} />}
    </>
  );
}

function Deliveries({ endpointId, url }: { endpointId: string; url?: string }) {
  const [after, setAfter] = useState<string>();
  const { data, error, refetch } = useQuery(WebhookDeliveriesQuery, { variables: { endpointId, first: 25, after }, fetchPolicy: "cache-and-network" });
  const [redeliver, redelivering] = useMutation(RedeliverWebhookMutation);
  const guard = useReauthGuard();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const page = data?.webhookDeliveries;
  const again = async (deliveryId: string) => {
    setOutcome(undefined);
    try {
      await guard(() => redeliver({ variables: { deliveryId } }));
      setOutcome({ ok: true, text: "Queued for delivery again." });
      await refetch();
    } catch (failure) {
      setOutcome({ ok: false, text: describeError(failure) });
    }
  };
  return (
    <section className="card" aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Deliveries{url ? ` to ${url}` : ""}</h2>
      {error && <p className="error" role="alert">{describeError(error)}</p>}
      {outcome && <p className={outcome.ok ? "ok" : "error"} role={outcome.ok ? "status" : "alert"}>{outcome.text}</p>}
      {page && page.edges.length === 0 && <p>No deliveries yet.</p>}
      {page && page.edges.length > 0 && (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Queued</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th>
                <th scope="col">Delivered</th><th scope="col">Last error</th><th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {page.edges.map(({ node: delivery }) => (
                <tr key={delivery.id}>
                  <td>{when(delivery.createdAt)}</td>
                  <td>{delivery.eventType}</td>
                  <td>{delivery.status.toLowerCase()}</td>
                  <td>{delivery.attempts}</td>
                  <td>{when(delivery.deliveredAt)}</td>
                  <td>{delivery.lastError ?? "–"}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      disabled={redelivering.loading}
                      aria-label={`Redeliver ${delivery.eventType} of ${when(delivery.createdAt)}`}
                      onClick={() => void again(delivery.id)}
                    >
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        {after && <button type="button" className="secondary" onClick={() => setAfter(undefined)}>Newest deliveries</button>}
        {page?.pageInfo.hasNextPage && (
          <button type="button" className="secondary" onClick={() => setAfter(page.pageInfo.endCursor ?? undefined)}>Older deliveries</button>
        )}
      </div>
    </section>
  );
}
