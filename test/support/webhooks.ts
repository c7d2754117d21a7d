import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import type { TestServer } from "./test-server";

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** The status every request is answered with (200 unless told). */
  status: number;
  /** true: requests are read but never answered (a receiver that hangs). */
  hang: boolean;
  stop(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 that keeps every POST it gets, raw body and headers. */
export async function startWebhookReceiver(port = 0): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const receiver = { received, status: 200, hang: false } as WebhookReceiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
      received.push({ headers, body: Buffer.concat(chunks).toString("utf8") });
      if (receiver.hang) return;
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks/latchkey`;
  receiver.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

/** Verifies a delivery the way a receiver would, with the standardwebhooks package; throws when it fails. */
export function verifyWebhook(secret: string, delivery: ReceivedWebhook): { type: string; timestamp: string; data: Record<string, any> } {
  return new Webhook(secret).verify(delivery.body, delivery.headers) as any;
}

/** Received deliveries whose body parses to the given event type. */
export function eventsOfType(receiver: WebhookReceiver, type: string): Array<ReceivedWebhook & { event: { type: string; timestamp: string; data: Record<string, any> } }> {
  return receiver.received.map((delivery) => ({ ...delivery, event: JSON.parse(delivery.body) })).filter((delivery) => delivery.event.type === type);
}

export const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($url: String!, $events: [String!]!) {
    createWebhookEndpoint(url: $url, events: $events) { secret endpoint { id url events enabled createdAt } }
  }
`;

export const DELIVERIES = /* GraphQL */ `
  query Deliveries($endpointId: ID!, $first: Int, $after: String) {
    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id eventType status attempts lastError createdAt deliveredAt } }
    }
  }
`;

/** Creates an endpoint through the API; returns its id and the secret shown once. */
export async function createEndpoint(server: TestServer, token: string, url: string, events: string[]): Promise<{ id: string; secret: string }> {
  const { body } = await server.gql(CREATE_ENDPOINT, { url, events }, { token });
  if (body.errors) throw new Error(`createWebhookEndpoint failed: ${JSON.stringify(body.errors)}`);
  return { id: body.data.createWebhookEndpoint.endpoint.id, secret: body.data.createWebhookEndpoint.secret };
}
