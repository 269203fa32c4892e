// Starts OpenTelemetry tracing (the SDK and the OTLP exporter) when OTEL_TRACES_EXPORTER or OTEL_EXPORTER_OTLP_ENDPOINT asks for it.
import { context, propagation, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";

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
