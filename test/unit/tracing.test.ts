import { SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterEach, describe, expect, it } from "vitest";
import { withSpan } from "../../src/observability/tracing.js";
import { initTracing, type TracingHandle, tracingRequested } from "../../src/observability/tracing-setup.js";

let handle: TracingHandle | undefined;

afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

describe("tracing", () => {
  it("is off unless the environment asks for it", () => {
    expect(tracingRequested({})).toBe(false);
    expect(
      tracingRequested({
        OTEL_TRACES_EXPORTER: "none",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
      }),
    ).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: "otlp" })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe(true);
    expect(initTracing({ env: {} }).enabled).toBe(false);
  });

  it("runs functions inside no-op spans while tracing is off", async () => {
    handle = initTracing({ env: {} });
    const result = await withSpan("repair", { "rfsn.session": "s-1" }, (span) => {
      expect(span.isRecording()).toBe(false);
      return 42;
    });
    expect(result).toBe(42);
  });

  it("exports named spans with attributes, parents and the service name", async () => {
    const exporter = new InMemorySpanExporter();
    handle = initTracing({ env: { OTEL_SERVICE_NAME: "rfsn-test" }, exporter });
    expect(handle.serviceName).toBe("rfsn-test");
    await withSpan("repair.session", { "rfsn.session": "s-1", "rfsn.skip": undefined }, async () => {
      await withSpan("repair.verify", { "rfsn.candidates": 3 }, async () => "ok");
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(["repair.verify", "repair.session"]);
    const [child, parent] = spans;
    expect(parent?.attributes).toEqual({ "rfsn.session": "s-1" });
    expect(child?.attributes).toEqual({ "rfsn.candidates": 3 });
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(parent?.status.code).toBe(SpanStatusCode.OK);
    expect(parent?.resource.attributes["service.name"]).toBe("rfsn-test");
  });

  it("records the exception and an error status when the function throws", async () => {
    const exporter = new InMemorySpanExporter();
    handle = initTracing({ env: {}, exporter });
    await expect(
      withSpan("repair.patch", {}, () => Promise.reject(new Error("worktree gone"))),
    ).rejects.toThrow("worktree gone");
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: "worktree gone" });
    expect(span?.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("refuses a second initialization until the first is shut down", async () => {
    handle = initTracing({ env: {}, exporter: new InMemorySpanExporter() });
    expect(() => initTracing({ env: {}, exporter: new InMemorySpanExporter() })).toThrow(
      /already initialized/,
    );
    await handle.shutdown();
    handle = initTracing({ env: {}, exporter: new InMemorySpanExporter() });
    expect(handle.enabled).toBe(true);
  });

  it("starts an OTLP exporter when an endpoint is configured", async () => {
    handle = initTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" } });
    expect(handle.enabled).toBe(true);
    expect(handle.serviceName).toBe("rfsn");
  });
});
