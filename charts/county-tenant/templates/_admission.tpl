{{- /*
What the chart refuses before anything reaches the apiserver, each with a
message saying what to do instead.
*/ -}}

{{- /*
A county's tenant lives in namespace county-<code>. Its administrators are
bound in that namespace: a county installed in another county's namespace
would let that county's administrators edit its policy, and the topics,
Secrets and dashboards that name the county by its code would not match.
*/ -}}
{{- define "county-tenant.requireCountyNamespace" -}}
{{- $want := printf "county-%s" (toString .Values.county.code) }}
{{- if ne .Release.Namespace $want }}
{{- fail (printf "county %s must be installed in namespace %s, not %q: a county's tenant lives in the namespace county-<code> (helm install ... -n %s --create-namespace)" (toString .Values.county.code) $want .Release.Namespace $want) }}
{{- end }}
{{- end }}

{{- /*
One county, one tenant: two MediationCenters of one county would publish
two policies under one key, and the operator ignores the second only after
it is installed. lookup asks the apiserver (install, upgrade, and
--dry-run=server); under helm template it finds nothing, so renders work
offline. The release's own MediationCenter is not a second tenant.
*/ -}}
{{- define "county-tenant.requireOneTenant" -}}
{{- $code := toString .Values.county.code }}
{{- $own := include "county-tenant.centerName" . }}
{{- $centers := lookup "mediation.fengqiao.dev/v1alpha1" "MediationCenter" "" "" }}
{{- range $mc := (dig "items" list $centers) }}
{{- $ns := dig "metadata" "namespace" "" $mc }}
{{- $name := dig "metadata" "name" "" $mc }}
{{- $isOwn := and (eq $ns $.Release.Namespace) (eq $name $own) }}
{{- if and (eq (toString (dig "spec" "county" "code" "" $mc)) $code) (not $isOwn) }}
{{- $retiring := "" }}
{{- if dig "metadata" "deletionTimestamp" "" $mc }}
{{- $retiring = " (it is being retired: wait until it is gone)" }}
{{- end }}
{{- fail (printf "county %s already has a tenant: MediationCenter %s/%s%s; a county has one MediationCenter, change it with helm upgrade of its release instead of adding another" $code $ns $name $retiring) }}
{{- end }}
{{- end }}
{{- end }}
