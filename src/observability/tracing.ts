// OpenTelemetry tracing, off unless OTEL_TRACES_EXPORTER or OTEL_EXPORTER_OTLP_ENDPOINT is set; `withSpan` works either way.
import {
  type Attributes,
  context,
  propagation,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";

const TRACER_NAME = "rfsn";

export interface TracingOptions {
  env?: NodeJS.ProcessEnv;
  /** Use this exporter (tests pass an InMemorySpanExporter); spans are then exported synchronously. */
  exporter?: SpanExporter;
}

export interface TracingHandle {
  enabled: boolean;
  serviceName: string;
  /** Flushes pending spans and unregisters the global provider. */
  shutdown(): Promise<void>;
}

let activeProvider: NodeTracerProvider | null = null;

/** Whether the environment asks for traces (`OTEL_TRACES_EXPORTER` other than `none`, or an OTLP endpoint). */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter === "none") return false;
  if (exporter) return true;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/** Starts tracing when requested; otherwise returns a disabled handle and spans stay no-ops. */
export function initTracing(options: TracingOptions = {}): TracingHandle {
  const env = options.env ?? process.env;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || "rfsn";
  if (!options.exporter && !tracingRequested(env)) {
    return { enabled: false, serviceName, shutdown: async () => {} };
  }
  if (activeProvider) {
    throw new Error("tracing is already initialized; call shutdown() on the previous handle first");
  }
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [processor],
  });
  provider.register();
  activeProvider = provider;
  return {
    enabled: true,
    serviceName,
    shutdown: async () => {
      if (activeProvider !== provider) return;
      activeProvider = null;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The RFSN tracer (a no-op tracer while tracing is off). */
export function rfsnTracer(): Tracer {
  return activeProvider ? activeProvider.getTracer(TRACER_NAME) : trace.getTracer(TRACER_NAME);
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
