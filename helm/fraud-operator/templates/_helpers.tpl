{{/* Names are truncated to 63 characters (the DNS label limit of most Kubernetes names). */}}
{{- define "fraud.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "fraud.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "<fullname>-<suffix>", still within 63 characters. Call with (list $ "suffix"). */}}
{{- define "fraud.componentName" -}}
{{- $root := index . 0 }}
{{- $suffix := index . 1 }}
{{- printf "%s-%s" (include "fraud.fullname" $root | trunc (int (sub 62 (len $suffix))) | trimSuffix "-") $suffix }}
{{- end }}

{{- define "fraud.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "fraud.labels" -}}
helm.sh/chart: {{ include "fraud.chart" . }}
app.kubernetes.io/name: {{ include "fraud.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fraud-operator
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels of one component. Call with (list $ "api"). */}}
{{- define "fraud.componentLabels" -}}
{{- $root := index . 0 }}
{{- include "fraud.labels" $root }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "fraud.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "fraud.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* "repository:tag", the tag defaulting to the chart's appVersion. Call with (list $ .Values.api.image). */}}
{{- define "fraud.image" -}}
{{- $root := index . 0 }}
{{- $image := index . 1 }}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}

{{- define "fraud.scorerRuntimeSecret" -}}
{{- include "fraud.componentName" (list . "scorer-runtime") }}
{{- end }}

{{- define "fraud.operatorServiceAccount" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "fraud.componentName" (list . "operator")) .Values.operator.serviceAccount.name }}
{{- else }}
{{- required "operator.serviceAccount.name is required when operator.serviceAccount.create is false" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "fraud.kafkaSecret" -}}
{{- default (include "fraud.componentName" (list . "kafka")) .Values.kafka.existingSecret }}
{{- end }}

{{- define "fraud.redisSecret" -}}
{{- default (include "fraud.componentName" (list . "redis")) .Values.redis.existingSecret }}
{{- end }}

{{/* The S3 credentials Secret: the chart's when the keys are inline, else existingSecret, else none. */}}
{{- define "fraud.s3Secret" -}}
{{- $c := .Values.s3.credentials }}
{{- if or $c.accessKeyId $c.secretAccessKey }}
{{- if not (and $c.accessKeyId $c.secretAccessKey) }}
{{- fail "s3.credentials: set both accessKeyId and secretAccessKey, or existingSecret" }}
{{- end }}
{{- include "fraud.componentName" (list . "s3") }}
{{- else }}
{{- $c.existingSecret }}
{{- end }}
{{- end }}

{{/* S3 environment of a container (endpoint, region and, when configured, credentials from the Secret). */}}
{{- define "fraud.s3Env" -}}
{{- with .Values.s3.endpoint }}
- name: S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: S3_REGION
  value: {{ .Values.s3.region | quote }}
{{- with include "fraud.s3Secret" . }}
- name: S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef: {name: {{ . }}, key: accessKeyId}
- name: S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ . }}, key: secretAccessKey}
{{- end }}
{{- end }}

{{/* Pod-level security: non-root, the images' own uid/gid, the runtime's default seccomp profile. */}}
{{- define "fraud.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "fraud.containerSecurityContext" -}}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
{{- end }}

{{/* nodeSelector, tolerations, affinity and pull secrets of a pod. Call with (list $ .Values.api). */}}
{{- define "fraud.placement" -}}
{{- $root := index . 0 }}
{{- $c := index . 1 }}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
