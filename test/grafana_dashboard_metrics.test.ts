// A dashboard query naming a metric or label the server does not export draws an empty panel
// and nobody notices until an incident. This reads every query of the Grafana dashboard and checks
// each metric and label in it against what a running server's /metrics actually serves.
import { readFileSync } from "node:fs";
import path from "node:path";
import { startTestServer, type TestServer, START_TIMEOUT_MS } from "./support/test-server";
import { login, registerUser, ME } from "./support/accounts";

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr?: string; datasource?: { uid: string } }>;
  panels?: Panel[];
}
interface Dashboard {
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query: string | { query: string } }> };
}

const dashboard = JSON.parse(
  readFileSync(path.join(__dirname, "..", "deploy", "grafana", "latchkey-dashboard.json"), "utf8"),
) as Dashboard;
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).filter((panel) => panel.type !== "row");
const queries = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr ?? "" })));

// Prometheus adds these to every series it scrapes; the server cannot export them.
const TARGET_LABELS = ["job", "instance"];

/** The metric names in a PromQL expression, the labels its matchers name, and its grouping labels. */
function analyse(expr: string) {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[^\]]*\]/g, "");
  const matched = [...withoutStrings.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)].flatMap(([, metric, matchers]) =>
    [...matchers.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map(([, label]) => ({ metric, label })),
  );
  const groupingClause = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
  const grouping = [...withoutStrings.matchAll(groupingClause)].flatMap(([, labels]) =>
    labels.split(",").map((label) => label.trim()).filter(Boolean),
  );
  const bare = withoutStrings.replace(/\{[^}]*\}/g, "").replace(groupingClause, "").replace(/\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, "");
  const keywords = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"]);
  // An identifier followed by `(` is a function; any other one is a metric name.
  const metrics = [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)]
    .filter(([name, , call]) => !call && !keywords.has(name.toLowerCase()))
    .map(([name]) => name);
  return { metrics: [...new Set(metrics)], matched, grouping: [...new Set(grouping)] };
}

/** What /metrics serves: each family's type, and each sample name's label names. */
function exposition(text: string) {
  const types = new Map<string, string>();
  const labels = new Map<string, Set<string>>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s/.exec(line);
    if (!sample) continue;
    const names = labels.get(sample[1]) ?? new Set<string>();
    for (const [, label] of (sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)) names.add(label);
    labels.set(sample[1], names);
  }
  return { types, labels };
}

/** The family a sample name belongs to: itself, or the histogram/summary it is a _bucket/_sum/_count of. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return base && ["histogram", "summary"].includes(types.get(base) ?? "") ? base : undefined;
}

describe("the Grafana dashboard (deploy/grafana/latchkey-dashboard.json)", () => {
  it("is a Prometheus dashboard on a chosen data source, with panels that each query it", () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const datasource = dashboard.templating.list.find((variable) => variable.name === "datasource");
    expect(datasource).toMatchObject({ type: "datasource", query: "prometheus" });
    expect(panels.length).toBeGreaterThanOrEqual(10);
    expect(new Set(dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).map((panel) => panel.id)).size).toBe(
      dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).length,
    );
    for (const panel of panels) {
      expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({ panel: panel.title, uid: "${datasource}" });
      expect({ panel: panel.title, targets: (panel.targets?.length ?? 0) > 0 }).toEqual({ panel: panel.title, targets: true });
      for (const target of panel.targets!) {
        expect({ panel: panel.title, uid: target.datasource?.uid, expr: !!target.expr }).toEqual({ panel: panel.title, uid: "${datasource}", expr: true });
      }
    }
  });

  it("covers traffic by outcome, p50/p99 latency, logins, rate limiting, lockouts, outbox depth and the session cache", () => {
    const used = new Set(queries.flatMap((query) => analyse(query.expr).metrics));
    for (const metric of [
      "latchkey_graphql_operations_total",
      "latchkey_graphql_operation_duration_seconds_bucket",
      "latchkey_logins_total",
      "latchkey_rate_limited_total",
      "latchkey_account_lockouts_total",
      "latchkey_outbox_queue_depth",
      "latchkey_session_cache_lookups_total",
    ]) {
      expect({ metric, used: used.has(metric) }).toEqual({ metric, used: true });
    }
    const quantiles = queries.map((query) => /histogram_quantile\(\s*([0-9.]+)\s*,/.exec(query.expr)?.[1]).filter(Boolean);
    expect(quantiles).toEqual(expect.arrayContaining(["0.5", "0.99"]));
    // A quantile over buckets summed without `le` is a number with no meaning.
    for (const query of queries.filter((query) => query.expr.includes("histogram_quantile"))) {
      expect({ panel: query.panel, grouping: analyse(query.expr).grouping }).toEqual({ panel: query.panel, grouping: expect.arrayContaining(["le"]) });
    }
  });

  describe("against a running server's /metrics", () => {
    let server: TestServer;
    let exported: ReturnType<typeof exposition>;

    beforeAll(async () => {
      // Every labelled series appears only once something was counted: make each kind happen.
      server = await startTestServer("pglite", { env: { RATE_LIMIT_REGISTER: "2/1h" } });
      await server.gql("query PolicyCheck { passwordPolicy { minLength } }"); // outcome ok
      await server.gql(ME); // outcome UNAUTHENTICATED
      const user = await registerUser(server);
      const { accessToken } = await login(server, user.username, user.password); // result success
      await server.gql(ME, {}, { token: accessToken }); // session cache lookup
      await server.gql(ME, {}, { token: accessToken });
      await login(server, user.username, "not-the-password-at-all").catch(() => undefined); // result failure
      for (let i = 0; i < 2; i++) await registerUser(server).catch(() => undefined); // the third register is rate-limited
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      exported = exposition(await response.text());
    }, START_TIMEOUT_MS);
    afterAll(() => server?.stop());

    it("exports every metric a panel or variable queries", () => {
      const variableQueries = dashboard.templating.list
        .filter((variable) => variable.type === "query")
        .map((variable) => (typeof variable.query === "string" ? variable.query : variable.query.query));
      const named = [
        ...queries.flatMap((query) => analyse(query.expr).metrics.map((metric) => ({ where: query.panel, metric }))),
        ...variableQueries.flatMap((query) => [...query.matchAll(/label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/g)].map(([, metric]) => ({ where: query, metric }))),
      ];
      expect(named.length).toBeGreaterThan(queries.length);
      const missing = named.filter(({ metric }) => !familyOf(metric, exported.types) || !exported.labels.has(metric));
      expect(missing).toEqual([]);
    });

    it("exports every label a query matches on or groups by, on the metrics that query reads", () => {
      const problems: string[] = [];
      for (const query of queries) {
        const { metrics, matched, grouping } = analyse(query.expr);
        for (const { metric, label } of matched) {
          if (!TARGET_LABELS.includes(label) && !exported.labels.get(metric)?.has(label)) problems.push(`${query.panel}: ${metric} has no label ${label}`);
        }
        for (const label of grouping.filter((label) => !TARGET_LABELS.includes(label))) {
          for (const metric of metrics) {
            if (!exported.labels.get(metric)?.has(label)) problems.push(`${query.panel}: ${metric} has no label ${label}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it("reads the metric names of a query correctly (a control for the checks above)", () => {
      const control = analyse('sum by (le, nope) (rate(latchkey_nonexistent_bucket{job=~"$job", outcome!="ok"}[5m])) / 2e3');
      expect(control).toEqual({
        metrics: ["latchkey_nonexistent_bucket"],
        matched: [{ metric: "latchkey_nonexistent_bucket", label: "job" }, { metric: "latchkey_nonexistent_bucket", label: "outcome" }],
        grouping: ["le", "nope"],
      });
      expect(familyOf("latchkey_nonexistent_bucket", exported.types)).toBeUndefined();
      expect(familyOf("latchkey_graphql_operation_duration_seconds_bucket", exported.types)).toBe("latchkey_graphql_operation_duration_seconds");
      expect(exported.labels.get("latchkey_graphql_operations_total")).toEqual(new Set(["operation_name", "operation_type", "outcome"]));
      expect(exported.labels.get("latchkey_rate_limited_total")).toEqual(new Set(["field"]));
    });
  });
});
