{{/* Names, labels and the settings derived from several values. */}}

{{- define "netportal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* "<release>-<chart>", or the release name alone when it already contains the chart name. */}}
{{- define "netportal.fullname" -}}
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

{{- define "netportal.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "netportal.labels" -}}
helm.sh/chart: {{ include "netportal.chart" . }}
{{ include "netportal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "netportal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "netportal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component's resources; call with (dict "root" $ "component" "ui"). */}}
{{- define "netportal.componentLabels" -}}
{{ include "netportal.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Selector of one component's pods; call with (dict "root" $ "component" "ui"). */}}
{{- define "netportal.componentSelectorLabels" -}}
{{ include "netportal.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "netportal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "netportal.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "netportal.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Where browsers reach the UI: config.uiBaseUrl, else derived from the Ingress host. */}}
{{- define "netportal.uiBaseUrl" -}}
{{- if .Values.config.uiBaseUrl }}
{{- .Values.config.uiBaseUrl | trimSuffix "/" }}
{{- else if and .Values.ingress.enabled .Values.ingress.host }}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host }}
{{- else }}
{{- fail "config.uiBaseUrl is required when the Ingress is disabled (where do browsers reach the UI?)" }}
{{- end }}
{{- end }}

{{/* The database URLs: R2DBC for the portal, JDBC for the migrations. The two drivers spell the TLS option differently. */}}
{{- define "netportal.r2dbcUrl" -}}
{{- $db := .Values.database }}
{{- $host := required "database.host is required" $db.host }}
{{- printf "r2dbc:postgresql://%s:%v/%s" $host $db.port $db.name }}
{{- if $db.sslMode }}{{ printf "?sslMode=%s" $db.sslMode }}{{ end }}
{{- end }}

{{- define "netportal.jdbcUrl" -}}
{{- $db := .Values.database }}
{{- $host := required "database.host is required" $db.host }}
{{- printf "jdbc:postgresql://%s:%v/%s" $host $db.port $db.name }}
{{- if $db.sslMode }}{{ printf "?sslmode=%s" $db.sslMode }}{{ end }}
{{- end }}

{{/* The Secret the chart creates for the values given without existingSecret. */}}
{{- define "netportal.secretName" -}}
{{- printf "%s-secrets" (include "netportal.fullname" .) }}
{{- end }}

{{/* The hook Secret with the migration password when it is given as a value. */}}
{{- define "netportal.migrationSecretName" -}}
{{- printf "%s-migration" (include "netportal.fullname" .) }}
{{- end }}

{{/*
Where a secret setting comes from, as YAML {name, key, value}: an existing Secret (value empty) or the chart's
Secret (value = the literal, which only ever goes into that Secret). Call with
(dict "setting" .Values.database.password "what" "database.password" "chartSecret" <name> "chartKey" <key>).
*/}}
{{- define "netportal.secretSource" -}}
{{- if .setting.existingSecret }}
name: {{ .setting.existingSecret | quote }}
key: {{ required (printf "%s.existingSecretKey is required" .what) .setting.existingSecretKey | quote }}
{{- else if .setting.value }}
name: {{ .chartSecret | quote }}
key: {{ .chartKey | quote }}
value: {{ .setting.value | quote }}
{{- else }}
{{- fail (printf "set %s.existingSecret (name of an existing Secret) or %s.value" .what .what) }}
{{- end }}
{{- end }}

{{- define "netportal.databasePasswordSource" -}}
{{- include "netportal.secretSource" (dict "setting" .Values.database.password "what" "database.password" "chartSecret" (include "netportal.secretName" .) "chartKey" "database-password") }}
{{- end }}

{{- define "netportal.oidcClientSecretSource" -}}
{{- include "netportal.secretSource" (dict "setting" .Values.config.oidc.clientSecret "what" "config.oidc.clientSecret" "chartSecret" (include "netportal.secretName" .) "chartKey" "oidc-client-secret") }}
{{- end }}

{{/* The migration user: its own, or the portal's. */}}
{{- define "netportal.migrationUsername" -}}
{{- default .Values.database.username .Values.database.migration.username }}
{{- end }}

{{/*
The migration password's source. The Job runs before the release's own resources exist, so a password given as a
value goes into a hook Secret of its own (made just before the Job, deleted once the migrations succeeded).
*/}}
{{- define "netportal.migrationPasswordSource" -}}
{{- $migration := .Values.database.migration }}
{{- if $migration.username }}
{{- include "netportal.secretSource" (dict "setting" $migration.password "what" "database.migration.password" "chartSecret" (include "netportal.migrationSecretName" .) "chartKey" "password") }}
{{- else }}
{{- include "netportal.secretSource" (dict "setting" .Values.database.password "what" "database.password" "chartSecret" (include "netportal.migrationSecretName" .) "chartKey" "password") }}
{{- end }}
{{- end }}

{{/* An env entry whose value comes from a Secret; call with (dict "name" "ENV_NAME" "source" <secretSource dict>). */}}
{{- define "netportal.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .source.name }}
      key: {{ .source.key }}
{{- end }}

{{/* Preferred pod anti-affinity: one component's pods on different nodes where possible. */}}
{{- define "netportal.defaultAffinity" -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "netportal.componentSelectorLabels" . | nindent 12 }}
{{- end }}

{{/* The TLS Secret of the UI's host: ingress.tls.secretName, or "<fullname>-tls". */}}
{{- define "netportal.uiTlsSecretName" -}}
{{- default (printf "%s-tls" (include "netportal.fullname" .)) .Values.ingress.tls.secretName }}
{{- end }}

{{/* The TLS Secret of the API's Ingress: its own, the UI's on the same host, or "<fullname>-api-tls" on a host of its own. */}}
{{- define "netportal.apiTlsSecretName" -}}
{{- $api := .Values.ingress.api }}
{{- if $api.tlsSecretName }}
{{- $api.tlsSecretName }}
{{- else if or (not $api.host) (eq $api.host .Values.ingress.host) }}
{{- include "netportal.uiTlsSecretName" . }}
{{- else }}
{{- printf "%s-api-tls" (include "netportal.fullname" .) }}
{{- end }}
{{- end }}

{{/* cert-manager's annotation for ingress.tls.certManagerIssuer, as YAML (empty without an issuer or TLS). */}}
{{- define "netportal.certManagerAnnotation" -}}
{{- $tls := .Values.ingress.tls }}
{{- if and $tls.enabled $tls.certManagerIssuer }}
{{- if eq $tls.certManagerIssuerKind "ClusterIssuer" }}
cert-manager.io/cluster-issuer: {{ $tls.certManagerIssuer | quote }}
{{- else if eq $tls.certManagerIssuerKind "Issuer" }}
cert-manager.io/issuer: {{ $tls.certManagerIssuer | quote }}
{{- else }}
{{- fail (printf "ingress.tls.certManagerIssuerKind must be ClusterIssuer or Issuer, not %q" $tls.certManagerIssuerKind) }}
{{- end }}
{{- end }}
{{- end }}

{{/* The ports of the OpenID Connect provider: networkPolicy.egress.oidc.ports, or the issuer URL's port. */}}
{{- define "netportal.oidcPorts" -}}
{{- $ports := .Values.networkPolicy.egress.oidc.ports }}
{{- if not $ports }}
{{- $issuer := urlParse (required "config.oidc.issuer is required" .Values.config.oidc.issuer) }}
{{- $hostPort := splitList ":" $issuer.host }}
{{- if gt (len $hostPort) 1 }}
{{- $ports = list (last $hostPort | atoi) }}
{{- else if eq $issuer.scheme "https" }}
{{- $ports = list 443 }}
{{- else if eq $issuer.scheme "http" }}
{{- $ports = list 80 }}
{{- else }}
{{- fail (printf "config.oidc.issuer %q is not an http(s) URL" .Values.config.oidc.issuer) }}
{{- end }}
{{- end }}
{{- toJson $ports }}
{{- end }}

{{/*
One egress rule to a destination given as CIDRs and/or NetworkPolicyPeers on some TCP ports; with neither, the ports
are open to every address. Call with (dict "cidrs" <list> "to" <list> "ports" <list of numbers>), and optionally
"protocols" (default TCP).
*/}}
{{- define "netportal.egressRule" -}}
{{- $peers := list }}
{{- range .cidrs }}
{{- $peers = append $peers (dict "ipBlock" (dict "cidr" .)) }}
{{- end }}
{{- $peers = concat $peers (.to | default list) }}
{{- $ports := list }}
{{- $protocols := .protocols | default (list "TCP") }}
{{- range $port := .ports }}
{{- range $protocols }}
{{- $ports = append $ports (dict "port" (int $port) "protocol" .) }}
{{- end }}
{{- end }}
{{- $rule := dict "ports" $ports }}
{{- if $peers }}
{{- $_ := set $rule "to" $peers }}
{{- end }}
{{- toYaml (list $rule) }}
{{- end }}

{{/*
The egress rules of a component's pods: DNS and the database; for the UI and API pods (web=true) also the OpenID
Connect provider and networkPolicy.egress.extra. Call with (dict "root" $ "web" true).
*/}}
{{- define "netportal.egressRules" -}}
{{- $np := .root.Values.networkPolicy -}}
# DNS
{{ include "netportal.egressRule" (dict "to" (required "networkPolicy.egress.dns must name the DNS servers" $np.egress.dns) "ports" (list 53) "protocols" (list "UDP" "TCP")) }}
# the database
{{ include "netportal.egressRule" (dict "cidrs" $np.egress.database.cidrs "to" $np.egress.database.to "ports" (list .root.Values.database.port)) }}
{{- if .web }}
# the OpenID Connect provider
{{ include "netportal.egressRule" (dict "cidrs" $np.egress.oidc.cidrs "to" $np.egress.oidc.to "ports" (include "netportal.oidcPorts" .root | fromJsonArray)) }}
{{- with $np.egress.extra }}
{{ toYaml . }}
{{- end }}
{{- end }}
{{- end }}
