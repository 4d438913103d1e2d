{{/*
Values of this chart, also when another chart includes the sidecar template with its own context:
then they are read from .Values."sse-proxy" (this chart as a dependency) or .Values.sseProxy.
*/}}
{{- define "sse-proxy.values" -}}
{{- if hasKey .Values "sse-proxy" -}}
{{- toYaml (index .Values "sse-proxy") -}}
{{- else if hasKey .Values "sseProxy" -}}
{{- toYaml .Values.sseProxy -}}
{{- else -}}
{{- toYaml .Values -}}
{{- end -}}
{{- end -}}

{{/* Names use the fixed chart name, so a parent chart that includes the sidecar gets the same names. */}}
{{- define "sse-proxy.name" -}}
{{- default "sse-proxy" .v.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sse-proxy.fullname" -}}
{{- if .v.fullnameOverride -}}
{{- .v.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default "sse-proxy" .v.nameOverride -}}
{{- if contains $name .root.Release.Name -}}
{{- .root.Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .root.Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sse-proxy.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sse-proxy.name" . }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "sse-proxy.labels" -}}
{{ include "sse-proxy.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | default "0.1.0" | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "sse-proxy.serviceAccountName" -}}
{{- if .v.serviceAccount.create -}}
{{- default (include "sse-proxy.fullname" .) .v.serviceAccount.name -}}
{{- else -}}
{{- default "default" .v.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image; its tag defaults to this chart's appVersion (also when a parent chart includes the sidecar). */}}
{{- define "sse-proxy.image" -}}
{{- $appVersion := "" -}}
{{- if eq .root.Chart.Name "sse-proxy" -}}
{{- $appVersion = .root.Chart.AppVersion -}}
{{- else if and .root.Subcharts (hasKey .root.Subcharts "sse-proxy") -}}
{{- $appVersion = (index .root.Subcharts "sse-proxy").Chart.AppVersion -}}
{{- end -}}
{{- $tag := .v.image.tag | default $appVersion -}}
{{- if not $tag -}}
{{- fail "sse-proxy: set image.tag (the including chart does not have sse-proxy as a dependency)" -}}
{{- end -}}
{{- printf "%s:%s" .v.image.repository $tag -}}
{{- end -}}

{{/* True ("true") when more than one pod may run at once. */}}
{{- define "sse-proxy.multiReplica" -}}
{{- if or .v.autoscaling.enabled (gt (int .v.replicaCount) 1) -}}true{{- end -}}
{{- end -}}

{{/* Whether the pod needs the service-account token (Vault Kubernetes auth without a projected token). */}}
{{- define "sse-proxy.automountToken" -}}
{{- if and (eq .v.kms.provider "vault") (eq .v.kms.vault.auth.method "kubernetes") (not .v.kms.vault.auth.tokenAudience) -}}true{{- else -}}false{{- end -}}
{{- end -}}

{{/*
Fails the render on values that cannot work, and in production on every inline or generated secret.
*/}}
{{- define "sse-proxy.validate" -}}
{{- $v := .v -}}
{{- if not (has $v.mode (list "standalone" "sidecar" "config-only")) -}}
{{- fail (printf "mode must be standalone, sidecar or config-only, not %q" $v.mode) -}}
{{- end -}}
{{- if and (eq $v.mode "sidecar") (not $v.sidecar.application.image) -}}
{{- fail "mode: sidecar needs sidecar.application.image (the application that gets sse-proxy beside it)" -}}
{{- end -}}
{{- if and (eq $v.kms.provider "local") (include "sse-proxy.multiReplica" .) (not $v.masterKey.existingSecret) (not $v.masterKey.value) -}}
{{- fail "replicaCount > 1 (or autoscaling) with kms.provider=local needs one master key shared by every replica: set masterKey.existingSecret (or masterKey.value outside production)" -}}
{{- end -}}
{{- if $v.production -}}
{{- $missing := list -}}
{{- if not $v.root.existingSecret -}}{{- $missing = append $missing "root.existingSecret (the root account's secret key)" -}}{{- end -}}
{{- if and (eq $v.kms.provider "local") (not $v.masterKey.existingSecret) -}}{{- $missing = append $missing "masterKey.existingSecret (the local KMS master key)" -}}{{- end -}}
{{- if not $v.database.existingSecret -}}{{- $missing = append $missing "database.existingSecret (the PostgreSQL password)" -}}{{- end -}}
{{- if not $v.backend.existingSecret -}}{{- $missing = append $missing "backend.existingSecret (the MinIO access and secret key)" -}}{{- end -}}
{{- if and (eq $v.kms.provider "vault") (has $v.kms.vault.auth.method (list "token" "approle")) (not $v.kms.vault.auth.existingSecret) -}}{{- $missing = append $missing (printf "kms.vault.auth.existingSecret (the Vault %s)" (ternary "token" "AppRole secret id" (eq $v.kms.vault.auth.method "token"))) -}}{{- end -}}
{{- if $missing -}}
{{- fail (printf "production: true needs every secret from an existing Secret; missing: %s" (join ", " $missing)) -}}
{{- end -}}
{{- $inline := list -}}
{{- if $v.root.secretKey -}}{{- $inline = append $inline "root.secretKey" -}}{{- end -}}
{{- if $v.masterKey.value -}}{{- $inline = append $inline "masterKey.value" -}}{{- end -}}
{{- if $v.database.password -}}{{- $inline = append $inline "database.password" -}}{{- end -}}
{{- if or $v.backend.accessKey $v.backend.secretKey -}}{{- $inline = append $inline "backend.accessKey/secretKey" -}}{{- end -}}
{{- if or $v.kms.vault.auth.token $v.kms.vault.auth.secretId -}}{{- $inline = append $inline "kms.vault.auth.token/secretId" -}}{{- end -}}
{{- if $inline -}}
{{- fail (printf "production: true refuses plaintext secrets in values: %s; put them in a Secret and name it in the matching existingSecret" (join ", " $inline)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The Secret (name, key) each credential is read from; "" when the credential is not given at all. */}}
{{- define "sse-proxy.secretRefs" -}}
{{- $v := .v -}}
{{- $chart := include "sse-proxy.fullname" . -}}
{{- $refs := dict -}}
{{- if $v.root.existingSecret -}}
{{- $_ := set $refs "SSE_PROXY_ROOT_SECRET_KEY" (list $v.root.existingSecret $v.root.existingSecretKey) -}}
{{- else -}}
{{- $_ := set $refs "SSE_PROXY_ROOT_SECRET_KEY" (list $chart "root-secret-key") -}}
{{- end -}}
{{- if eq $v.kms.provider "local" -}}
{{- if $v.masterKey.existingSecret -}}
{{- $_ := set $refs "SSE_PROXY_MASTER_KEY" (list $v.masterKey.existingSecret $v.masterKey.existingSecretKey) -}}
{{- else -}}
{{- $_ := set $refs "SSE_PROXY_MASTER_KEY" (list $chart "master-key") -}}
{{- end -}}
{{- end -}}
{{- if $v.database.existingSecret -}}
{{- $_ := set $refs "DB_PASSWORD" (list $v.database.existingSecret $v.database.existingSecretPasswordKey) -}}
{{- if $v.database.existingSecretUserKey -}}
{{- $_ := set $refs "DB_USER" (list $v.database.existingSecret $v.database.existingSecretUserKey) -}}
{{- end -}}
{{- else if $v.database.password -}}
{{- $_ := set $refs "DB_PASSWORD" (list $chart "database-password") -}}
{{- end -}}
{{- if $v.backend.existingSecret -}}
{{- $_ := set $refs "SSE_PROXY_BACKEND_ACCESS_KEY" (list $v.backend.existingSecret $v.backend.existingSecretAccessKeyKey) -}}
{{- $_ := set $refs "SSE_PROXY_BACKEND_SECRET_KEY" (list $v.backend.existingSecret $v.backend.existingSecretSecretKeyKey) -}}
{{- else -}}
{{- if $v.backend.accessKey -}}{{- $_ := set $refs "SSE_PROXY_BACKEND_ACCESS_KEY" (list $chart "backend-access-key") -}}{{- end -}}
{{- if $v.backend.secretKey -}}{{- $_ := set $refs "SSE_PROXY_BACKEND_SECRET_KEY" (list $chart "backend-secret-key") -}}{{- end -}}
{{- end -}}
{{- if eq $v.kms.provider "vault" -}}
{{- if eq $v.kms.vault.auth.method "token" -}}
{{- if $v.kms.vault.auth.existingSecret -}}
{{- $_ := set $refs "SSE_PROXY_KMS_VAULT_AUTH_TOKEN" (list $v.kms.vault.auth.existingSecret $v.kms.vault.auth.existingSecretTokenKey) -}}
{{- else if $v.kms.vault.auth.token -}}
{{- $_ := set $refs "SSE_PROXY_KMS_VAULT_AUTH_TOKEN" (list $chart "vault-token") -}}
{{- end -}}
{{- else if eq $v.kms.vault.auth.method "approle" -}}
{{- if $v.kms.vault.auth.existingSecret -}}
{{- $_ := set $refs "SSE_PROXY_KMS_VAULT_AUTH_SECRET_ID" (list $v.kms.vault.auth.existingSecret $v.kms.vault.auth.existingSecretSecretIdKey) -}}
{{- else if $v.kms.vault.auth.secretId -}}
{{- $_ := set $refs "SSE_PROXY_KMS_VAULT_AUTH_SECRET_ID" (list $chart "vault-secret-id") -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml $refs -}}
{{- end -}}

{{/*
The sse-proxy container. Context: dict root (the chart context), v (values), sidecar (bool),
native (bool: a restartable init container).
*/}}
{{- define "sse-proxy.container" -}}
{{- $v := .v -}}
{{- $fullname := include "sse-proxy.fullname" . -}}
name: sse-proxy
image: {{ include "sse-proxy.image" . | quote }}
imagePullPolicy: {{ $v.image.pullPolicy }}
{{- if .native }}
restartPolicy: Always
{{- end }}
envFrom:
  - configMapRef:
      name: {{ $fullname }}
env:
  - name: SSE_PROXY_HOST
    value: {{ ternary $v.sidecar.host "0.0.0.0" (.sidecar | default false) | quote }}
  - name: SSE_PROXY_MANAGEMENT_HOST
    value: "0.0.0.0"
  - name: QUARKUS_HTTP_PORT
    value: {{ $v.ports.http | quote }}
  - name: QUARKUS_HTTP_SSL_PORT
    value: {{ $v.ports.https | quote }}
  - name: QUARKUS_MANAGEMENT_PORT
    value: {{ $v.ports.management | quote }}
  - name: SSE_PROXY_DATA_DIR
    value: /var/lib/sse-proxy
  {{- $javaOpts := $v.javaOpts }}
  {{- if .sidecar }}
  {{- $javaOpts = $v.sidecar.javaOpts | default $v.javaOpts }}
  - name: QUARKUS_PROFILE
    value: sidecar
  - name: SSE_PROXY_SIDECAR_HOST
    value: {{ $v.sidecar.host | quote }}
  {{- end }}
  {{- if $javaOpts }}
  - name: JAVA_OPTS_APPEND
    value: {{ $javaOpts | quote }}
  {{- end }}
  {{- if $v.tls.secretName }}
  - name: SSE_PROXY_TLS_CERT
    value: /etc/sse-proxy/tls/tls.crt
  - name: SSE_PROXY_TLS_KEY
    value: /etc/sse-proxy/tls/tls.key
  {{- end }}
  {{- if and (eq $v.kms.provider "vault") $v.kms.vault.caSecret }}
  - name: SSE_PROXY_KMS_VAULT_TLS_CA_FILE
    value: /etc/sse-proxy/vault-ca/ca.crt
  {{- end }}
  {{- if and (eq $v.kms.provider "vault") (eq $v.kms.vault.auth.method "kubernetes") $v.kms.vault.auth.tokenAudience }}
  - name: SSE_PROXY_KMS_VAULT_AUTH_JWT_FILE
    value: /var/run/secrets/sse-proxy/vault/token
  {{- end }}
  {{- range $name, $ref := (include "sse-proxy.secretRefs" . | fromYaml) }}
  - name: {{ $name }}
    valueFrom:
      secretKeyRef:
        name: {{ index $ref 0 }}
        key: {{ index $ref 1 }}
  {{- end }}
  {{- with $v.extraEnv }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
ports:
  {{- if not .sidecar }}
  - name: http
    containerPort: {{ $v.ports.http }}
    protocol: TCP
  {{- if $v.tls.secretName }}
  - name: https
    containerPort: {{ $v.ports.https }}
    protocol: TCP
  {{- end }}
  {{- end }}
  - name: management
    containerPort: {{ $v.ports.management }}
    protocol: TCP
startupProbe:
  httpGet:
    path: {{ $v.probes.startup.path }}
    port: management
  periodSeconds: {{ $v.probes.startup.periodSeconds }}
  failureThreshold: {{ $v.probes.startup.failureThreshold }}
  timeoutSeconds: {{ $v.probes.startup.timeoutSeconds }}
readinessProbe:
  httpGet:
    path: {{ $v.probes.readiness.path }}
    port: management
  periodSeconds: {{ $v.probes.readiness.periodSeconds }}
  failureThreshold: {{ $v.probes.readiness.failureThreshold }}
  timeoutSeconds: {{ $v.probes.readiness.timeoutSeconds }}
livenessProbe:
  httpGet:
    path: {{ $v.probes.liveness.path }}
    port: management
  periodSeconds: {{ $v.probes.liveness.periodSeconds }}
  failureThreshold: {{ $v.probes.liveness.failureThreshold }}
  timeoutSeconds: {{ $v.probes.liveness.timeoutSeconds }}
lifecycle:
  preStop:
    sleep:
      seconds: {{ $v.preStopSleepSeconds }}
resources:
  {{- toYaml (ternary ($v.sidecar.resources | default $v.resources) $v.resources (.sidecar | default false)) | nindent 2 }}
securityContext:
  {{- toYaml $v.securityContext | nindent 2 }}
volumeMounts:
  - name: sse-proxy-tmp
    mountPath: /tmp
  - name: sse-proxy-data
    mountPath: /var/lib/sse-proxy
  {{- if $v.tls.secretName }}
  - name: sse-proxy-tls
    mountPath: /etc/sse-proxy/tls
    readOnly: true
  {{- end }}
  {{- if and (eq $v.kms.provider "vault") $v.kms.vault.caSecret }}
  - name: sse-proxy-vault-ca
    mountPath: /etc/sse-proxy/vault-ca
    readOnly: true
  {{- end }}
  {{- if and (eq $v.kms.provider "vault") (eq $v.kms.vault.auth.method "kubernetes") $v.kms.vault.auth.tokenAudience }}
  - name: sse-proxy-vault-token
    mountPath: /var/run/secrets/sse-proxy/vault
    readOnly: true
  {{- end }}
{{- end -}}

{{/* The pod volumes the sse-proxy container mounts. Context as sse-proxy.container. */}}
{{- define "sse-proxy.volumes" -}}
{{- $v := .v -}}
- name: sse-proxy-tmp
  emptyDir:
    {{- with $v.tmpVolume.sizeLimit }}
    sizeLimit: {{ . }}
    {{- else }} {}
    {{- end }}
- name: sse-proxy-data
  emptyDir:
    {{- with $v.dataVolume.sizeLimit }}
    sizeLimit: {{ . }}
    {{- else }} {}
    {{- end }}
{{- if $v.tls.secretName }}
- name: sse-proxy-tls
  secret:
    secretName: {{ $v.tls.secretName }}
{{- end }}
{{- if and (eq $v.kms.provider "vault") $v.kms.vault.caSecret }}
- name: sse-proxy-vault-ca
  secret:
    secretName: {{ $v.kms.vault.caSecret }}
{{- end }}
{{- if and (eq $v.kms.provider "vault") (eq $v.kms.vault.auth.method "kubernetes") $v.kms.vault.auth.tokenAudience }}
- name: sse-proxy-vault-token
  projected:
    sources:
      - serviceAccountToken:
          audience: {{ $v.kms.vault.auth.tokenAudience }}
          expirationSeconds: 3600
          path: token
{{- end }}
{{- end -}}

{{/*
For other charts: the sse-proxy sidecar container (one list item) and its volumes.
  containers:                      # or initContainers: for the native-sidecar form
    {{- include "sse-proxy.sidecar" . | nindent 4 }}
  volumes:
    {{- include "sse-proxy.sidecar.volumes" . | nindent 4 }}
Values come from .Values."sse-proxy" (this chart as a dependency, mode: config-only, which renders
the ConfigMap and Secret the container reads) or .Values.sseProxy. With sidecar.native the item carries
restartPolicy: Always and belongs under initContainers.
*/}}
{{- define "sse-proxy.sidecar" -}}
{{- $v := include "sse-proxy.values" . | fromYaml -}}
{{- $ctx := dict "root" . "v" $v "sidecar" true "native" $v.sidecar.native -}}
{{- include "sse-proxy.validate" $ctx -}}
- {{ include "sse-proxy.container" $ctx | nindent 2 | trim }}
{{- end -}}

{{- define "sse-proxy.sidecar.volumes" -}}
{{- $v := include "sse-proxy.values" . | fromYaml -}}
{{- include "sse-proxy.volumes" (dict "root" . "v" $v) -}}
{{- end -}}
