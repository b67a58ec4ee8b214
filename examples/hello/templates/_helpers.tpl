{{#define "hello.name"~}}
{{trunc 63 (trimSuffix "-" (default Chart.Name Values.nameOverride))}}
{{~/define}}

{{!-- The full name: release-chart, truncated to 63 characters (DNS label limit). --}}
{{#define "hello.fullname"~}}
{{#if Values.fullnameOverride~}}
{{trunc 63 (trimSuffix "-" Values.fullnameOverride)}}
{{~else if (contains (default Chart.Name Values.nameOverride) Release.Name)~}}
{{trunc 63 (trimSuffix "-" Release.Name)}}
{{~else~}}
{{trunc 63 (trimSuffix "-" (printf "%s-%s" Release.Name (default Chart.Name Values.nameOverride)))}}
{{~/if}}
{{~/define}}

{{#define "hello.chart"~}}
{{trunc 63 (trimSuffix "-" (replace "+" "_" (printf "%s-%s" Chart.Name Chart.Version)))}}
{{~/define}}

{{#define "hello.selectorLabels"~}}
app.kubernetes.io/name: {{include "hello.name" this}}
app.kubernetes.io/instance: {{Release.Name}}
{{~/define}}

{{#define "hello.labels"~}}
helm.sh/chart: {{include "hello.chart" this}}
{{include "hello.selectorLabels" this}}
{{#if Chart.AppVersion}}
app.kubernetes.io/version: {{quote Chart.AppVersion}}
{{/if}}
app.kubernetes.io/managed-by: {{Release.Service}}
{{~/define}}

{{#define "hello.serviceAccountName"~}}
{{#if Values.serviceAccount.create~}}
{{default (include "hello.fullname" this) Values.serviceAccount.name}}
{{~else~}}
{{default "default" Values.serviceAccount.name}}
{{~/if}}
{{~/define}}
