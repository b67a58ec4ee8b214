// A small but complete chart rendered end to end; the output is compared with golden files
// under golden/ (regenerate with UPDATE_GOLDEN=1 and review the diff).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatManifests, sortForInstall, splitManifests } from "../../../charts/manifest/index.js";
import { renderChart } from "../../../charts/template/index.js";
import { buildChart, renderOptions, withFile, withMetadata, withName, withSubchart, withTemplate } from "./fixtures.js";

const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "golden");

async function expectGolden(name: string, actual: string): Promise<void> {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    await mkdir(GOLDEN_DIR, { recursive: true });
    await writeFile(file, actual);
    return;
  }
  const expected = await readFile(file, "utf8").catch(() => {
    throw new Error(`golden file ${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
  });
  expect(actual).toBe(expected);
}

const HELPERS = `{{~#define "web.fullname"~}}
{{#if Values.fullnameOverride}}{{trunc 63 (trimSuffix "-" Values.fullnameOverride)}}{{else}}{{trunc 63 (trimSuffix "-" (printf "%s-%s" Release.Name (default Chart.Name Values.nameOverride)))}}{{/if}}
{{~/define}}

{{#define "web.labels"}}
app.kubernetes.io/name: {{Chart.Name}}
app.kubernetes.io/instance: {{Release.Name}}
app.kubernetes.io/version: {{quote Chart.AppVersion}}
helm.sh/chart: {{printf "%s-%s" Chart.Name Chart.Version}}
{{~/define}}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{include "web.fullname" this}}
  labels:{{nindent 4 (include "web.labels" this)}}
spec:
  replicas: {{Values.replicaCount}}
  template:
    metadata:
      annotations:
        checksum/config: {{sha256sum (include "web.config" this)}}
    spec:
      containers:
        - name: {{Chart.Name}}
          image: "{{Values.image.repository}}:{{default Chart.AppVersion Values.image.tag}}"
          env:
{{#each Values.env}}
            - name: {{@key}}
              value: {{quote this}}
{{/each}}
          ports:
{{#each Values.service.ports}}
            - name: {{name}}
              containerPort: {{port}}
{{/each}}
{{#if Values.resources}}
          resources:{{nindent 12 (toYaml Values.resources)}}
{{/if}}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: {{include "web.fullname" this}}
  labels:{{nindent 4 (include "web.labels" this)}}
spec:
  type: {{Values.service.type}}
  ports:
{{#each Values.service.ports}}
    - port: {{port}}
      targetPort: {{name}}
      name: {{name}}
{{/each}}
`;

const CONFIG = `{{#define "web.config"}}
{{filesAsConfig "config/*"}}
{{~/define}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{include "web.fullname" this}}-config
data:{{nindent 2 (include "web.config" this)}}
  greeting: {{tpl Values.greeting this}}
`;

const INGRESS = `{{#if Values.ingress.enabled}}
apiVersion: {{#if (semverCompare ">=1.19-0" Capabilities.KubeVersion.Version)}}networking.k8s.io/v1{{else}}networking.k8s.io/v1beta1{{/if}}
kind: Ingress
metadata:
  name: {{include "web.fullname" this}}
spec:
  rules:
{{#each Values.ingress.hosts}}
    - host: {{quote this}}
{{/each}}
{{/if}}
`;

const HOOK = `apiVersion: v1
kind: Pod
metadata:
  name: {{include "web.fullname" this}}-test
  annotations:
    helm.sh/hook: test
spec:
  restartPolicy: Never
`;

const NOTES = `Thank you for installing {{Chart.Name}} as {{Release.Name}}.
{{#if Values.ingress.enabled}}
Visit:
{{#each Values.ingress.hosts}}
  http://{{this}}/
{{/each}}
{{/if}}
`;

const REDIS = buildChart(
  withName("redis"),
  withMetadata({ version: "17.0.0", appVersion: "7.0" }),
  withTemplate("secret.yaml", `apiVersion: v1
kind: Secret
metadata:
  name: {{Release.Name}}-redis
  namespace: {{Release.Namespace}}
data:
  password: {{b64enc Values.password}}
---
# nothing but a comment
`),
  withTemplate("NOTES.txt", "redis notes are not shown"),
);

const CHART = buildChart(
  withName("web"),
  withMetadata({ version: "1.2.3", appVersion: "2.0.0" }),
  withTemplate("_helpers.tpl", HELPERS),
  withTemplate("deployment.yaml", DEPLOYMENT),
  withTemplate("service.yaml", SERVICE),
  withTemplate("configmap.yaml", CONFIG),
  withTemplate("ingress.yaml", INGRESS),
  withTemplate("tests/test-connection.yaml", HOOK),
  withTemplate("NOTES.txt", NOTES),
  withFile("config/app.ini", "[server]\nport = 8080\n"),
  withFile("config/motd.txt", "hello"),
  withSubchart(REDIS),
);

const VALUES = {
  replicaCount: 2,
  image: { repository: "nginx", tag: "" },
  env: { LOG_LEVEL: "debug", MODE: 1 },
  service: { type: "ClusterIP", ports: [{ name: "http", port: 80 }, { name: "metrics", port: 9090 }] },
  resources: { limits: { memory: "128Mi", cpu: "100m" } },
  ingress: { enabled: true, hosts: ["web.example.com", "www.example.com"] },
  greeting: "Hello from {{Release.Name}}",
  redis: { password: "s3cret" },
};

describe("golden render of a small chart", () => {
  const rendered = renderChart(CHART, VALUES, renderOptions());

  it("renders every template", async () => {
    const text = [...rendered].map(([name, body]) => `==> ${name}\n${body}`).join("\n");
    await expectGolden("web-rendered.txt", text);
  });

  it("prints helm template's output in install order", async () => {
    const { manifests, hooks, notes } = splitManifests(rendered);
    await expectGolden("web-template.yaml", formatManifests(sortForInstall(manifests), { hooks }));
    await expectGolden("web-notes.txt", notes ?? "");
  });

  it("is deterministic", () => {
    expect([...renderChart(CHART, VALUES, renderOptions())]).toEqual([...rendered]);
  });
});
