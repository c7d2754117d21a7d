import type { IncomingMessage } from "node:http";
import { diag, DiagLogLevel, trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { ATTR_SERVICE_NAME, ATTR_URL_QUERY } from "@opentelemetry/semantic-conventions";
import type { Logger } from "../logger";
import { useTracer } from "./spans";

// Loaded only when tracing is configured (main.ts requires it on demand), and before the app,
// so node's http is patched before anything requires it.

export interface TracingSettings {
  /** The OTLP/HTTP traces URL (`<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`). */
  tracesUrl: string;
  serviceName: string;
}

export interface Tracing {
  /** Exports the spans still queued; called at shutdown. */
  shutdown(): Promise<void>;
}

const SHUTDOWN_WAIT_MS = 2_000;

const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * A query string's values never reach a span: `GET /graphql?query=...&variables=...` can carry
 * a password. The parameter names stay.
 */
function redactedQuery(req: IncomingMessage): Record<string, string> {
  const at = req.url?.indexOf("?") ?? -1;
  if (at === -1) return {};
  const names = [...new URLSearchParams(req.url!.slice(at + 1)).keys()];
  return { [ATTR_URL_QUERY]: names.map((name) => `${encodeURIComponent(name)}=REDACTED`).join("&") };
}

/**
 * Exports spans over OTLP/HTTP (JSON) in batches: one per incoming HTTP request (joining the
 * caller's trace from `traceparent`), and the spans the code starts through tracing/spans.ts.
 * The SDK's standard variables (OTEL_BSP_*, OTEL_TRACES_SAMPLER, OTEL_EXPORTER_OTLP_HEADERS,
 * OTEL_RESOURCE_ATTRIBUTES, ...) apply.
 */
export function startTracing(settings: TracingSettings, logger: Logger): Tracing {
  // The SDK reports export failures here; one warning line each, without its arguments.
  diag.setLogger(
    {
      error: (message) => logger.warn({ problem: message }, "tracing"),
      warn: (message) => logger.warn({ problem: message }, "tracing"),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl }))],
  });
  // The W3C trace-context propagator and the async-hooks context manager.
  provider.register();
  // Server side only: an outgoing request's URL (a webhook's, say) may hold a secret.
  const http = new HttpInstrumentation({
    disableOutgoingRequestInstrumentation: true,
    // Probes and scrapes come every few seconds and would each be a trace of one span.
    ignoreIncomingRequestHook: (req) => req.method === "GET" && PROBES.has((req.url ?? "").split("?")[0]),
    startIncomingSpanHook: redactedQuery,
  });
  http.setTracerProvider(provider);
  useTracer(provider.getTracer("latchkey"), () => trace.getActiveSpan() !== undefined);
  const target = new URL(settings.tracesUrl);
  logger.info({ traces: `${target.origin}${target.pathname}`, serviceName: settings.serviceName }, "exporting traces");
  return {
    // Bounded: a collector that does not answer must not hold up the process's exit.
    shutdown: () => Promise.race([provider.shutdown(), new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]),
  };
}
