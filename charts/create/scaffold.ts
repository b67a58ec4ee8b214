// The files `berth create NAME` writes, in berth's Handlebars dialect (DESIGN.md). Like Helm's
// `helm create`, "<CHARTNAME>" is replaced with the chart's name.

export const CHART_NAME_PLACEHOLDER = "<CHARTNAME>";

const chartYaml = `apiVersion: v2
name: <CHARTNAME>
description: A Helm-compatible chart for Kubernetes, made by berth
type: application
version: 0.1.0
appVersion: "1.0.0"
`;

const valuesYaml = `# Default values for <CHARTNAME>. Override them with -f FILE or --set key=value.

replicaCount: 1

image:
  repository: nginx
  pullPolicy: IfNotPresent
  # Overrides the image tag; the default is the chart's appVersion.
  tag: ""

imagePullSecrets: []
nameOverride: ""
fullnameOverride: ""

serviceAccount:
  create: true
  automount: true
  annotations: {}
  # The name to use; when empty and create is true, the full name is used.
  name: ""

podAnnotations: {}
podLabels: {}

podSecurityContext: {}
securityContext: {}

service:
  type: ClusterIP
  port: 80

ingress:
  enabled: false
  className: ""
  annotations: {}
  hosts:
    - host: chart-example.local
      paths:
        - path: /
          pathType: ImplementationSpecific
  tls: []

resources: {}
  # limits:
  #   cpu: 100m
  #   memory: 128Mi

livenessProbe:
  httpGet:
    path: /
    port: http
readinessProbe:
  httpGet:
    path: /
    port: http

autoscaling:
  enabled: false
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 80

nodeSelector: {}
tolerations: []
affinity: {}
`;

const valuesSchema = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "replicaCount": { "type": "integer", "minimum": 0 },
    "image": {
      "type": "object",
      "required": ["repository"],
      "properties": {
        "repository": { "type": "string", "minLength": 1 },
        "pullPolicy": { "enum": ["Always", "IfNotPresent", "Never"] },
        "tag": { "type": "string" }
      }
    },
    "service": {
      "type": "object",
      "properties": {
        "type": { "enum": ["ClusterIP", "NodePort", "LoadBalancer"] },
        "port": { "type": "integer", "minimum": 1, "maximum": 65535 }
      }
    },
    "ingress": {
      "type": "object",
      "properties": { "enabled": { "type": "boolean" } }
    }
  }
}
`;

const helmignore = `# Patterns to ignore when packaging the chart (gitignore syntax).
.DS_Store
.git/
.gitignore
*.swp
*.bak
*.tmp
*.orig
*~
.idea/
.vscode/
`;

const helpers = `{{#define "<CHARTNAME>.name"~}}
{{trunc 63 (trimSuffix "-" (default Chart.Name Values.nameOverride))}}
{{~/define}}

{{!-- The full name: release-chart, truncated to 63 characters (DNS label limit). --}}
{{#define "<CHARTNAME>.fullname"~}}
{{#if Values.fullnameOverride~}}
{{trunc 63 (trimSuffix "-" Values.fullnameOverride)}}
{{~else if (contains (default Chart.Name Values.nameOverride) Release.Name)~}}
{{trunc 63 (trimSuffix "-" Release.Name)}}
{{~else~}}
{{trunc 63 (trimSuffix "-" (printf "%s-%s" Release.Name (default Chart.Name Values.nameOverride)))}}
{{~/if}}
{{~/define}}

{{#define "<CHARTNAME>.chart"~}}
{{trunc 63 (trimSuffix "-" (replace "+" "_" (printf "%s-%s" Chart.Name Chart.Version)))}}
{{~/define}}

{{#define "<CHARTNAME>.selectorLabels"~}}
app.kubernetes.io/name: {{include "<CHARTNAME>.name" this}}
app.kubernetes.io/instance: {{Release.Name}}
{{~/define}}

{{#define "<CHARTNAME>.labels"~}}
helm.sh/chart: {{include "<CHARTNAME>.chart" this}}
{{include "<CHARTNAME>.selectorLabels" this}}
{{#if Chart.AppVersion}}
app.kubernetes.io/version: {{quote Chart.AppVersion}}
{{/if}}
app.kubernetes.io/managed-by: {{Release.Service}}
{{~/define}}

{{#define "<CHARTNAME>.serviceAccountName"~}}
{{#if Values.serviceAccount.create~}}
{{default (include "<CHARTNAME>.fullname" this) Values.serviceAccount.name}}
{{~else~}}
{{default "default" Values.serviceAccount.name}}
{{~/if}}
{{~/define}}
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{include "<CHARTNAME>.fullname" this}}
  labels: {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
spec:
  {{#unless Values.autoscaling.enabled}}
  replicas: {{Values.replicaCount}}
  {{/unless}}
  selector:
    matchLabels: {{~nindent 6 (include "<CHARTNAME>.selectorLabels" this)}}
  template:
    metadata:
      {{#if Values.podAnnotations}}
      annotations: {{~nindent 8 (toYaml Values.podAnnotations)}}
      {{/if}}
      labels: {{~nindent 8 (include "<CHARTNAME>.labels" this)}}{{#if Values.podLabels}}{{nindent 8 (toYaml Values.podLabels)}}{{/if}}
    spec:
      {{#if Values.imagePullSecrets}}
      imagePullSecrets: {{~nindent 8 (toYaml Values.imagePullSecrets)}}
      {{/if}}
      serviceAccountName: {{include "<CHARTNAME>.serviceAccountName" this}}
      securityContext: {{~nindent 8 (toYaml Values.podSecurityContext)}}
      containers:
        - name: {{Chart.Name}}
          securityContext: {{~nindent 12 (toYaml Values.securityContext)}}
          image: "{{Values.image.repository}}:{{default Chart.AppVersion Values.image.tag}}"
          imagePullPolicy: {{Values.image.pullPolicy}}
          ports:
            - name: http
              containerPort: {{Values.service.port}}
              protocol: TCP
          livenessProbe: {{~nindent 12 (toYaml Values.livenessProbe)}}
          readinessProbe: {{~nindent 12 (toYaml Values.readinessProbe)}}
          resources: {{~nindent 12 (toYaml Values.resources)}}
      {{#if Values.nodeSelector}}
      nodeSelector: {{~nindent 8 (toYaml Values.nodeSelector)}}
      {{/if}}
      {{#if Values.affinity}}
      affinity: {{~nindent 8 (toYaml Values.affinity)}}
      {{/if}}
      {{#if Values.tolerations}}
      tolerations: {{~nindent 8 (toYaml Values.tolerations)}}
      {{/if}}
`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: {{include "<CHARTNAME>.fullname" this}}
  labels: {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
spec:
  type: {{Values.service.type}}
  ports:
    - port: {{Values.service.port}}
      targetPort: http
      protocol: TCP
      name: http
  selector: {{~nindent 4 (include "<CHARTNAME>.selectorLabels" this)}}
`;

const serviceAccount = `{{#if Values.serviceAccount.create}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{include "<CHARTNAME>.serviceAccountName" this}}
  labels: {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
  {{#if Values.serviceAccount.annotations}}
  annotations: {{~nindent 4 (toYaml Values.serviceAccount.annotations)}}
  {{/if}}
automountServiceAccountToken: {{Values.serviceAccount.automount}}
{{/if}}
`;

const ingress = `{{#if Values.ingress.enabled}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{include "<CHARTNAME>.fullname" this}}
  labels: {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
  {{#if Values.ingress.annotations}}
  annotations: {{~nindent 4 (toYaml Values.ingress.annotations)}}
  {{/if}}
spec:
  {{#if Values.ingress.className}}
  ingressClassName: {{Values.ingress.className}}
  {{/if}}
  {{#if Values.ingress.tls}}
  tls: {{~nindent 4 (toYaml Values.ingress.tls)}}
  {{/if}}
  rules:
    {{#each Values.ingress.hosts}}
    - host: {{quote this.host}}
      http:
        paths:
          {{#each this.paths}}
          - path: {{this.path}}
            pathType: {{this.pathType}}
            backend:
              service:
                name: {{include "<CHARTNAME>.fullname" @root}}
                port:
                  number: {{@root.Values.service.port}}
          {{/each}}
    {{/each}}
{{/if}}
`;

const hpa = `{{#if Values.autoscaling.enabled}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{include "<CHARTNAME>.fullname" this}}
  labels: {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{include "<CHARTNAME>.fullname" this}}
  minReplicas: {{Values.autoscaling.minReplicas}}
  maxReplicas: {{Values.autoscaling.maxReplicas}}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{Values.autoscaling.targetCPUUtilizationPercentage}}
{{/if}}
`;

const notes = `{{Chart.Name}} is installed as release "{{Release.Name}}" in namespace "{{Release.Namespace}}".

Reach the application:
{{#if Values.ingress.enabled}}
{{#each Values.ingress.hosts}}
  http{{#if @root.Values.ingress.tls}}s{{/if}}://{{this.host}}{{#with (first this.paths)}}{{this.path}}{{/with}}
{{/each}}
{{else}}
  kubectl --namespace {{Release.Namespace}} port-forward svc/{{include "<CHARTNAME>.fullname" this}} 8080:{{Values.service.port}}
  then open http://127.0.0.1:8080
{{/if}}
`;

const testConnection = `apiVersion: v1
kind: Pod
metadata:
  name: "{{include "<CHARTNAME>.fullname" this}}-test-connection"
  labels: {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
  annotations:
    "helm.sh/hook": test
spec:
  containers:
    - name: wget
      image: busybox
      command: ["wget"]
      args: ["{{include "<CHARTNAME>.fullname" this}}:{{Values.service.port}}"]
  restartPolicy: Never
`;

/** Relative path → content, before "<CHARTNAME>" substitution. */
export const SCAFFOLD_FILES: Readonly<Record<string, string>> = {
  "Chart.yaml": chartYaml,
  "values.yaml": valuesYaml,
  "values.schema.json": valuesSchema,
  ".helmignore": helmignore,
  "templates/_helpers.tpl": helpers,
  "templates/deployment.yaml": deployment,
  "templates/service.yaml": service,
  "templates/serviceaccount.yaml": serviceAccount,
  "templates/ingress.yaml": ingress,
  "templates/hpa.yaml": hpa,
  "templates/NOTES.txt": notes,
  "templates/tests/test-connection.yaml": testConnection,
};
