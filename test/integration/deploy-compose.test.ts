// The `docker compose up` stack: compose.yaml validated by the compose client, Prometheus's files by promtool, Grafana's provisioning by shape.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../..");

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  command?: string[];
  ports?: string[];
}

const compose = parse(readFileSync(join(ROOT, "compose.yaml"), "utf8")) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

/** `docker compose` (the v2 plugin) when it works offline here, else the standalone `docker-compose`; null when neither exists. */
async function composeClient(): Promise<string[] | null> {
  const plugin = await execa("docker", ["compose", "version"], { reject: false });
  if (plugin.exitCode === 0) return ["docker", "compose"];
  const standalone = await execa("docker-compose", ["version"], { reject: false });
  return standalone.exitCode === 0 ? ["docker-compose"] : null;
}

const promtool = (await execa("promtool", ["--version"], { reject: false })).exitCode === 0;
const client = await composeClient();

/** Host side of each bind mount (`./x:/y[:ro]`), with the container side. */
function bindMounts(service: Service): Array<{ host: string; container: string }> {
  return (service.volumes ?? [])
    .filter((volume) => volume.startsWith("./"))
    .map((volume) => {
      const [host = "", container = ""] = volume.split(":");
      return { host, container };
    });
}

describe("docker compose stack", () => {
  it.skipIf(client === null)("the compose client accepts compose.yaml (docker compose config)", async () => {
    const [command = "", ...prefix] = client ?? [];
    const result = await execa(command, [...prefix, "-f", "compose.yaml", "config", "--quiet"], {
      cwd: ROOT,
      reject: false,
      env: { APP_ID: "", PRIVATE_KEY: "", WEBHOOK_SECRET: "" },
    });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });

  it("runs the App with its data in a named volume, the health check, and the setup flow's .env kept there", () => {
    const app = compose.services.app;
    expect(app?.build).toEqual({ context: ".", dockerfile: "Dockerfile" });
    expect(app?.volumes).toContain("rfsn-data:/data");
    expect(Object.keys(compose.volumes)).toEqual(
      expect.arrayContaining(["rfsn-data", "prometheus-data", "grafana-data"]),
    );
    expect(app?.environment?.RFSN_DB).toMatch(/^\/data\//);
    expect(app?.environment?.RFSN_ENV_FILE).toMatch(/^\/data\//);
    expect(app?.healthcheck?.test.join(" ")).toContain("http://127.0.0.1:3000/health");
    // Every setting the App reads from the environment is passed through, none hard-coded.
    for (const name of [
      "APP_ID",
      "PRIVATE_KEY",
      "WEBHOOK_SECRET",
      "RFSN_PUBLIC_URL",
      "WEBHOOK_PROXY_URL",
      "GHE_HOST",
    ]) {
      expect(app?.environment?.[name]).toBe(`\${${name}:-}`);
    }
  });

  it("mounts only files that exist in deploy/, read-only", () => {
    for (const name of ["prometheus", "grafana"]) {
      const mounts = bindMounts(compose.services[name] ?? {});
      expect(mounts.length).toBeGreaterThan(0);
      for (const mount of mounts) {
        expect(existsSync(join(ROOT, mount.host)), mount.host).toBe(true);
        expect(mount.host.startsWith("./deploy/")).toBe(true);
      }
      expect(
        (compose.services[name]?.volumes ?? [])
          .filter((v) => v.startsWith("./"))
          .every((v) => v.endsWith(":ro")),
      ).toBe(true);
    }
  });

  it.skipIf(!promtool)("promtool accepts the Prometheus configuration and the alert rules", async () => {
    const config = await execa("promtool", ["check", "config", "deploy/prometheus/prometheus.yml"], {
      cwd: ROOT,
      reject: false,
    });
    expect(config.stdout + config.stderr).toMatch(/SUCCESS: \d+ rule files found/);
    expect(config.exitCode).toBe(0);
    const rules = await execa("promtool", ["check", "rules", "deploy/prometheus/alerts.yml"], {
      cwd: ROOT,
      reject: false,
    });
    expect(rules.exitCode).toBe(0);
  });

  it("Prometheus scrapes the App's service and reads the rules where compose mounts them", () => {
    const prometheus = parse(readFileSync(join(ROOT, "deploy/prometheus/prometheus.yml"), "utf8")) as {
      rule_files: string[];
      scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
    };
    expect(prometheus.scrape_configs[0]?.metrics_path).toBe("/metrics");
    expect(prometheus.scrape_configs[0]?.static_configs[0]?.targets).toEqual(["app:3000"]);
    const mounts = bindMounts(compose.services.prometheus ?? {});
    const configDir = mounts
      .find((m) => m.host === "./deploy/prometheus/prometheus.yml")
      ?.container.replace(/\/[^/]+$/, "");
    for (const rules of prometheus.rule_files) {
      expect(
        mounts.some((m) => m.container === `${configDir}/${rules}` && existsSync(join(ROOT, m.host))),
      ).toBe(true);
    }
  });

  it("Grafana provisions the Prometheus service as default data source and loads the RFSN dashboard from its mount", () => {
    const grafana = compose.services.grafana ?? {};
    const mounts = bindMounts(grafana);
    expect(mounts).toContainEqual({
      host: "./deploy/grafana/provisioning",
      container: "/etc/grafana/provisioning",
    });
    const datasources = parse(
      readFileSync(join(ROOT, "deploy/grafana/provisioning/datasources/prometheus.yml"), "utf8"),
    ) as { apiVersion: number; datasources: Array<Record<string, unknown>> };
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toHaveLength(1);
    expect(datasources.datasources[0]).toMatchObject({
      type: "prometheus",
      access: "proxy",
      isDefault: true,
    });
    const prometheusPort = (compose.services.prometheus?.ports ?? [])[0]?.split(":").at(-1);
    expect(datasources.datasources[0]?.url).toBe(`http://prometheus:${prometheusPort}`);

    const providers = parse(
      readFileSync(join(ROOT, "deploy/grafana/provisioning/dashboards/rfsn.yml"), "utf8"),
    ) as {
      apiVersion: number;
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(providers.apiVersion).toBe(1);
    const dashboardMount = mounts.find((m) => m.host === "./deploy/grafana/rfsn.json");
    expect(dashboardMount?.container.startsWith(`${providers.providers[0]?.options.path}/`)).toBe(true);
    expect(providers.providers[0]?.type).toBe("file");

    // The dashboard's panels use the `datasource` variable of type prometheus, which resolves to the default source.
    const dashboard = JSON.parse(readFileSync(join(ROOT, "deploy/grafana/rfsn.json"), "utf8")) as {
      uid: string;
      templating: { list: Array<{ name: string; type: string; query: string }> };
    };
    expect(dashboard.uid).toMatch(/^[a-z0-9-]+$/);
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: "datasource", type: "datasource", query: "prometheus" }),
    );
  });
});
