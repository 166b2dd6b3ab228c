{{/* Labels every object of the tenant carries; county marks whose it is. */}}
{{- define "county-tenant.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: fengqiao
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
mediation.fengqiao.dev/county: {{ .Values.county.code | quote }}
{{- end }}

{{/* The MediationCenter's name. */}}
{{- define "county-tenant.centerName" -}}
{{- .Values.name | default .Release.Name }}
{{- end }}

{{/* RBAC subjects of a group of people: users, groups, service accounts. */}}
{{- define "county-tenant.subjects" -}}
{{- range .users }}
- {kind: User, apiGroup: rbac.authorization.k8s.io, name: {{ . | quote }}}
{{- end }}
{{- range .groups }}
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: {{ . | quote }}}
{{- end }}
{{- range .serviceAccounts }}
- {kind: ServiceAccount, name: {{ .name }}, namespace: {{ .namespace }}}
{{- end }}
{{- end }}
