// Spans around RFSN's work through the OpenTelemetry API alone: no-ops until `initTracing` (tracing-setup.ts) registers a provider.
import { type Attributes, type Span, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";

const TRACER_NAME = "rfsn";

/** The RFSN tracer: from the provider `initTracing` registered, a no-op tracer while tracing is off. */
export function rfsnTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `fn` inside an active span named `name`; the span records an exception and ERROR status when
 * `fn` throws or rejects, and always ends. Undefined attribute values are dropped.
 */
export async function withSpan<T>(
  name: string,
  attributes: Record<string, string | number | boolean | undefined>,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const cleaned: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) cleaned[key] = value;
  return rfsnTracer().startActiveSpan(name, { attributes: cleaned }, async (span) => {
    try {
      const result = await fn(span);
      span.setStatus({ code: SpanStatusCode.OK });
      return result;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      span.recordException(failure);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      throw error;
    } finally {
      span.end();
    }
  });
}
