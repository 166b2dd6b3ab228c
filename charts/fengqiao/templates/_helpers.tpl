{{/* Labels every object of the release carries. */}}
{{- define "fengqiao.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: fengqiao
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* Labels selecting one component's pods: (dict "root" $ "name" "intake"). */}}
{{- define "fengqiao.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* Full labels of one component: (dict "root" $ "name" "intake" "component" "service"). */}}
{{- define "fengqiao.componentLabels" -}}
{{ include "fengqiao.labels" .root }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* A component's object name: <release>-<name>. */}}
{{- define "fengqiao.name" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
An image reference: (dict "root" $ "repository" "intake" "tag" "" "digest" "").
A digest (make images writes them to bin/images/digests.yaml) pins the image
whatever its tag later points at; without one the tag is used.
*/}}
{{- define "fengqiao.image" -}}
{{- $tag := .tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- with .root.Values.image.registry }}{{ . }}/{{ end }}{{ .repository }}
{{- if .digest }}@{{ .digest }}{{ else }}:{{ $tag }}{{ end }}
{{- end }}

{{/* One service's values: serviceDefaults overridden by services.<name>. */}}
{{- define "fengqiao.serviceValues" -}}
{{- $svc := index .root.Values.services .name -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $svc)) }}
{{- end }}

{{/*
The pod securityContext of every Fengqiao pod: the images run as the
distroless "nonroot" user (65532), see the Dockerfiles.
*/}}
{{- define "fengqiao.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The container securityContext: read-only root, no privileges. */}}
{{- define "fengqiao.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end }}

{{/*
Kafka and MongoDB settings read from Secrets (pkg/config): the SASL
credentials and the MongoDB URI never appear in a ConfigMap. Called with
(dict "Values" $.Values "secret" <the component's kafkaSecret>): a component
with its own Kafka principal (its own ACLs) names its own Secret.
*/}}
{{- define "fengqiao.secretEnv" -}}
{{- if .Values.kafka.sasl.enabled }}
{{- $secret := .secret | default .Values.kafka.sasl.existingSecret }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ .Values.kafka.sasl.usernameKey }}}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ .Values.kafka.sasl.passwordKey }}}
{{- end }}
{{- end }}

{{/* Kafka settings that are not secret, as ConfigMap data or env values. */}}
{{- define "fengqiao.kafkaConfig" -}}
KAFKA_BROKERS: {{ join "," .Values.kafka.brokers | quote }}
KAFKA_TLS: {{ .Values.kafka.tls | toString | quote }}
{{- if .Values.kafka.sasl.enabled }}
KAFKA_SASL_MECHANISM: {{ .Values.kafka.sasl.mechanism | quote }}
{{- end }}
{{- end }}

{{/* The CA bundle volume and mount, when tls.caSecret is set. */}}
{{- define "fengqiao.caVolume" -}}
{{- with .Values.tls.caSecret }}
- name: ca
  secret: {secretName: {{ . }}}
{{- end }}
{{- end }}
{{- define "fengqiao.caMount" -}}
{{- if .Values.tls.caSecret }}
- {name: ca, mountPath: /etc/fengqiao/ca, readOnly: true}
{{- end }}
{{- end }}
{{- define "fengqiao.caEnv" -}}
{{- if .Values.tls.caSecret }}
SSL_CERT_FILE: {{ printf "/etc/fengqiao/ca/%s" .Values.tls.caKey | quote }}
{{- end }}
{{- end }}

{{/* A service's ConfigMap data: (dict "root" $ "s" <service values>). */}}
{{- define "fengqiao.serviceConfig" -}}
{{- $v := .root.Values -}}
{{- include "fengqiao.kafkaConfig" .root }}
KAFKA_TOPIC_PARTITIONS: {{ $v.kafka.topicPartitions | toString | quote }}
KAFKA_TOPIC_REPLICATION: {{ $v.kafka.topicReplication | toString | quote }}
MONGODB_DATABASE: {{ $v.mongodb.database | quote }}
HTTP_ADDR: ":8080"
LOG_LEVEL: {{ $v.logLevel | quote }}
{{- with $v.otel.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
OTEL_EXPORTER_OTLP_PROTOCOL: {{ $v.otel.protocol | quote }}
{{- end }}
{{- with $v.otel.resourceAttributes }}
OTEL_RESOURCE_ATTRIBUTES: {{ . | quote }}
{{- end }}
{{- include "fengqiao.caEnv" .root }}
{{- range $k, $val := .s.env }}
{{ $k }}: {{ $val | toString | quote }}
{{- end }}
{{- end }}

{{/*
The pod's identity for the service's telemetry resource (pkg/telemetry,
resource.go): every span and metric says which release, pod and node made
it. (dict "root" $ "name" "intake" "tag" $s.tag)
*/}}
{{- define "fengqiao.telemetryEnv" -}}
- name: SERVICE_VERSION
  value: {{ .tag | default .root.Values.image.tag | default .root.Chart.AppVersion | quote }}
- name: K8S_DEPLOYMENT_NAME
  value: {{ include "fengqiao.name" (dict "root" .root "name" .name) | quote }}
- name: K8S_POD_NAME
  valueFrom: {fieldRef: {fieldPath: metadata.name}}
- name: K8S_POD_UID
  valueFrom: {fieldRef: {fieldPath: metadata.uid}}
- name: K8S_NAMESPACE_NAME
  valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
- name: K8S_NODE_NAME
  valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
{{- end }}
