import type { Attributes, Span, SpanKind, SpanStatusCode, Tracer } from "@opentelemetry/api";

// The small surface the rest of the code traces through. It imports OpenTelemetry's types
// only: with tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT) none of the SDK is loaded,
// and each helper costs one check of `tracer`. tracing/start.ts installs the tracer.

let tracer: Tracer | undefined;
let inTrace: () => boolean = () => false;

// The values of the API's enums, spelled here so this file needs no runtime import.
const STATUS_ERROR = 2 as SpanStatusCode.ERROR;
export const SPAN_KIND_CLIENT = 2 as SpanKind.CLIENT;

export type { Attributes, Span };

/** Called once by tracing/start.ts, before the app is loaded; `hasActiveSpan` tells whether a span is current. */
export function useTracer(installed: Tracer, hasActiveSpan: () => boolean): void {
  tracer = installed;
  inTrace = hasActiveSpan;
}

/** True when spans are exported; callers decide once, at construction, whether to wrap. */
export function tracingEnabled(): boolean {
  return tracer !== undefined;
}

/** Marks a span failed with a short, secret-free error type (a code or class name, never a message). */
export function markFailed(span: Span, errorType: string): void {
  span.setStatus({ code: STATUS_ERROR });
  span.setAttribute("error.type", errorType);
}

/** The error's code or class name: messages may quote input, so they never reach a span. */
function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) return code;
  return error instanceof Error ? error.constructor.name : "Error";
}

/** A span that is not made current: for hooks that see a start and an end but wrap no call. */
export function startSpan(name: string, attributes: Attributes): Span | undefined {
  return tracer?.startSpan(name, { attributes });
}

export interface InSpanOptions {
  kind?: SpanKind;
  /**
   * Only as part of a trace already under way (a request's): the background jobs' polling
   * statements would otherwise each start a trace of their own, every few seconds.
   */
  withinTrace?: boolean;
}

/**
 * Runs `run` inside a span (current while it runs, so spans it starts are its children),
 * ended when the promise settles; a rejection marks it failed. Without tracing: `run()`.
 */
export function inSpan<T>(name: string, attributes: Attributes, run: () => Promise<T>, options: InSpanOptions = {}): Promise<T> {
  if (!tracer || (options.withinTrace && !inTrace())) return run();
  const { kind } = options;
  return tracer.startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      return await run();
    } catch (error) {
      markFailed(span, errorTypeOf(error));
      throw error;
    } finally {
      span.end();
    }
  });
}
