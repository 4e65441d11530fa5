{{/*
THE one place where values become the services' settings (environment variables that Quarkus/SmallRye Config
maps to properties: FLEETPROV_HOOK_AUTH → fleetprov.hook.auth, QUARKUS_DATASOURCE_JDBC_URL → quarkus.datasource.jdbc-url).
To follow a renamed setting in a service, change it here and in values.yaml's comment.

  fleetprov.config.*        non-secret settings → the component's ConfigMap (envFrom)
  fleetprov.secretEnv.*     secret settings → env entries with secretKeyRef, never a ConfigMap
*/}}

{{/* Settings both services share: HTTP, PostgreSQL, OIDC, MQTT. (list $ .Values.claimService) */}}
{{- define "fleetprov.config.common" -}}
{{- $root := index . 0 -}}
{{- $svc := index . 1 -}}
QUARKUS_HTTP_PORT: "8080"
{{- if or $root.Values.postgresql.host $root.Values.postgresql.inCluster.enabled }}
QUARKUS_DATASOURCE_JDBC_URL: {{ printf "jdbc:postgresql://%s:%v/%s?sslmode=%s" (include "fleetprov.postgresHost" $root) $root.Values.postgresql.port $svc.database.name (ternary "disable" $root.Values.postgresql.sslMode $root.Values.postgresql.inCluster.enabled) | quote }}
{{- end }}
QUARKUS_DATASOURCE_USERNAME: {{ $svc.database.username | quote }}
{{- with include "fleetprov.oidcIssuer" $root }}
QUARKUS_OIDC_AUTH_SERVER_URL: {{ . | quote }}
{{- end }}
{{- with $root.Values.oidc.clientId }}
QUARKUS_OIDC_CLIENT_ID: {{ . | quote }}
{{- end }}
{{- with $root.Values.oidc.roleClaimPath }}
QUARKUS_OIDC_ROLES_ROLE_CLAIM_PATH: {{ . | quote }}
{{- end }}
{{- with include "fleetprov.mqttHost" $root }}
FLEETPROV_MQTT_HOST: {{ . | quote }}
{{- end }}
FLEETPROV_MQTT_PORT: {{ include "fleetprov.mqttPort" $root | quote }}
FLEETPROV_MQTT_CA_FILE: /etc/fleetprov/mqtt-ca/ca.pem
FLEETPROV_MQTT_CERT_FILE: /etc/fleetprov/mqtt/tls.crt
FLEETPROV_MQTT_KEY_FILE: /etc/fleetprov/mqtt/tls.key
{{- with $svc.javaToolOptions }}
JAVA_TOOL_OPTIONS: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "fleetprov.config.claimService" -}}
{{- $v := .Values.claimService -}}
{{ include "fleetprov.config.common" (list . $v) }}
{{- with .Values.aws.region }}
AWS_REGION: {{ . | quote }}
FLEETPROV_AWS_REGION: {{ . | quote }}
{{- end }}
{{- with include "fleetprov.awsEndpoint" . }}
FLEETPROV_AWS_ENDPOINT_OVERRIDE: {{ . | quote }}
{{- end }}
{{- with include "fleetprov.mqttHost" . }}
FLEETPROV_AWS_IOT_ENDPOINT: {{ printf "%s:%s" . (include "fleetprov.mqttPort" $) | quote }}
{{- end }}
FLEETPROV_HOOK_AUTH: {{ $v.hook.auth | quote }}
FLEETPROV_HOOK_SECRET_HEADER: {{ $v.hook.secretHeader | quote }}
{{- with $v.claims.defaultTemplate }}
FLEETPROV_CLAIMS_DEFAULT_TEMPLATE: {{ . | quote }}
{{- end }}
{{- range $group, $templates := $v.claims.templatesByGroup }}
FLEETPROV_CLAIMS_TEMPLATES_BY_GROUP_{{ regexReplaceAll "[^A-Za-z0-9]" $group "_" | upper }}: {{ join "," $templates | quote }}
{{- end }}
FLEETPROV_QUOTA_CLAIMS_PER_MINUTE: {{ $v.quota.claimsPerMinute | quote }}
FLEETPROV_QUOTA_OUTSTANDING: {{ $v.quota.outstanding | quote }}
FLEETPROV_EVENTS_SOURCE: "claim-service"
FLEETPROV_EVENTS_KID: {{ .Values.events.kid | quote }}
FLEETPROV_EVENTS_SIGNING_KEY_FILE: /etc/fleetprov/event-signing/event-signing-key.pem
{{- if $v.https.enabled }}
QUARKUS_PROFILE: "prod,https"
FLEETPROV_HTTPS_PORT: {{ $v.https.port | quote }}
FLEETPROV_HTTPS_CERT_FILE: "/etc/fleetprov/https/tls.crt"
FLEETPROV_HTTPS_KEY_FILE: "/etc/fleetprov/https/tls.key"
{{- end }}
{{- range $name, $value := $v.extraConfig }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{- define "fleetprov.config.auditService" -}}
{{- $v := .Values.auditService -}}
{{ include "fleetprov.config.common" (list . $v) }}
QUARKUS_FLYWAY_USERNAME: {{ $v.database.ownerUsername | quote }}
FLEETPROV_MQTT_CLIENT_ID: {{ $v.mqtt.clientId | quote }}
AUDIT_EVENTS_TRUST_DIRECTORY: /etc/fleetprov/event-keys
{{- if $v.checkpoint.enabled }}
AUDIT_CHECKPOINT_DIRECTORY: /var/lib/audit-checkpoints
AUDIT_CHECKPOINT_SIGNING_KEY_FILE: /etc/fleetprov/checkpoint/checkpoint-signing-key.pem
AUDIT_CHECKPOINT_EVERY_EVENTS: {{ $v.checkpoint.everyEvents | quote }}
AUDIT_CHECKPOINT_EVERY: {{ $v.checkpoint.every | quote }}
{{- end }}
{{- range $name, $value := $v.extraConfig }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* One env entry read from the chart's (or the user's) Secret. (list $ "ENV_NAME" "secret-key" optional) */}}
{{- define "fleetprov.secretEnvEntry" -}}
{{- $root := index . 0 }}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "fleetprov.secretName" $root }}
      key: {{ index . 2 }}
      optional: {{ index . 3 }}
{{- end -}}

{{- define "fleetprov.secretEnv.claimService" -}}
{{ include "fleetprov.secretEnvEntry" (list . "QUARKUS_DATASOURCE_PASSWORD" "claim-service-db-password" false) }}
{{ include "fleetprov.secretEnvEntry" (list . "QUARKUS_OIDC_CREDENTIALS_SECRET" "oidc-client-secret" true) }}
{{ include "fleetprov.secretEnvEntry" (list . "FLEETPROV_HOOK_SECRET" "hook-shared-secret" (ne .Values.claimService.hook.auth "shared-secret")) }}
{{ include "fleetprov.secretEnvEntry" (list . "FLEETPROV_CLAIMS_BUNDLE_KEY" "claim-bundle-key" true) }}
{{ include "fleetprov.secretEnvEntry" (list . "FLEETPROV_WEB_STATE_SECRET" "web-state-secret" true) }}
{{ include "fleetprov.secretEnvEntry" (list . "FLEETPROV_WEB_SESSION_SECRET" "web-session-secret" true) }}
{{- if include "fleetprov.callsEmulatorApi" . }}
{{- /* The SDK's default credential chain reads these; the strict emulator checks the signature. */}}
{{ include "fleetprov.emulatorAccessKeyEnv" (list . "AWS_ACCESS_KEY_ID" "AWS_SECRET_ACCESS_KEY") }}
{{- end }}
{{- end -}}

{{- define "fleetprov.secretEnv.auditService" -}}
{{ include "fleetprov.secretEnvEntry" (list . "QUARKUS_DATASOURCE_PASSWORD" "audit-service-db-password" false) }}
{{ include "fleetprov.secretEnvEntry" (list . "QUARKUS_FLYWAY_PASSWORD" "audit-service-db-owner-password" false) }}
{{ include "fleetprov.secretEnvEntry" (list . "QUARKUS_OIDC_CREDENTIALS_SECRET" "oidc-client-secret" true) }}
{{- end -}}

{{/*
Files each service reads besides the MQTT identity. Secrets are mounted read-only for the pod's user (0400) and
only the keys named, so a Secret shared by several services shows each only its own.
*/}}
{{- define "fleetprov.volumeMounts.claimService" -}}
- name: event-signing
  mountPath: /etc/fleetprov/event-signing
  readOnly: true
{{- end -}}

{{- define "fleetprov.volumes.claimService" -}}
# The private key every event is signed with (not optional: an unsigned event would only be quarantined).
- name: event-signing
  secret:
    secretName: {{ include "fleetprov.secretName" . }}
    defaultMode: 0400
    optional: false
    items:
      - {key: event-signing-key, path: event-signing-key.pem}
{{- end -}}

{{- define "fleetprov.volumeMounts.auditService" -}}
- name: event-keys
  mountPath: /etc/fleetprov/event-keys
  readOnly: true
{{- if .Values.auditService.checkpoint.enabled }}
- name: checkpoints
  mountPath: /var/lib/audit-checkpoints
- name: checkpoint-signing
  mountPath: /etc/fleetprov/checkpoint
  readOnly: true
{{- end }}
{{- end -}}

{{- define "fleetprov.volumes.auditService" -}}
{{- $c := .Values.auditService.checkpoint }}
# The public keys of the event signers audit-service trusts, one <kid>.pem each (public: a ConfigMap).
- name: event-keys
  configMap:
    name: {{ include "fleetprov.componentName" (list . "audit-service") }}-event-keys
{{- if $c.enabled }}
# Checkpoints outlive the pod (and, with a PVC, the node): they are what proves the database was not rewound.
- name: checkpoints
  {{- if $c.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ $c.persistence.existingClaim | default (printf "%s-checkpoints" (include "fleetprov.componentName" (list . "audit-service"))) }}
  {{- else }}
  emptyDir:
    sizeLimit: 64Mi
  {{- end }}
- name: checkpoint-signing
  secret:
    secretName: {{ include "fleetprov.secretName" . }}
    defaultMode: 0400
    optional: false
    items:
      - {key: audit-checkpoint-signing-key, path: checkpoint-signing-key.pem}
{{- end }}
{{- end -}}

{{/* The trusted event-signing public keys, kid → PEM. */}}
{{- define "fleetprov.trustedEventKeys" -}}
{{- $keys := dict -}}
{{- with .Values.events.publicKey }}
{{- $_ := set $keys $.Values.events.kid . }}
{{- end }}
{{- range $kid, $pem := .Values.events.extraTrustedKeys }}
{{- $_ := set $keys $kid $pem }}
{{- end }}
{{- toYaml $keys }}
{{- end -}}

{{/*
The simulator's command line. Its options are device-simulator's (issue 5); --shard-index/--shard-count/--out
and merge are fixed by the contract, the others are the chart's best reading of it: align them here.
*/}}
{{- define "fleetprov.simulator.args" -}}
{{- $s := .Values.simulator -}}
{{- $args := list
  "--shard-index=$(JOB_COMPLETION_INDEX)"
  (printf "--shard-count=%d" (int64 $s.shards))
  "--out=/results/shard-$(JOB_COMPLETION_INDEX)"
  (printf "--devices=%d" (int64 $s.devices))
  (printf "--rate=%v" $s.rate)
  (printf "--concurrency=%d" (int64 $s.concurrency))
  (printf "--source=%s" $s.claimSource)
  (printf "--template=%s" $s.template)
  (printf "--mqtt-endpoint=%s:%s" (required "iot.endpoint is required for the simulator (or enable emulator)" (include "fleetprov.mqttHost" .)) (include "fleetprov.mqttPort" .))
  "--ca-file=/etc/fleetprov/mqtt-ca/ca.pem" -}}
{{- with .Values.aws.region }}
{{- $args = append $args (printf "--region=%s" .) }}
{{- end }}
{{- with include "fleetprov.awsEndpoint" . }}
{{- $args = append $args (printf "--iot-endpoint-url=%s" .) }}
{{- end }}
{{- if eq $s.claimSource "trusted-user" }}
{{- $args = append $args (printf "--claim-service-url=%s" (include "fleetprov.simulator.claimServiceUrl" .)) }}
{{- $args = append $args (printf "--user-pool-client-id=%s" (required "simulator.userPoolClientId is required in trusted-user mode" $s.userPoolClientId)) }}
{{- $args = append $args (printf "--username=%s" (required "simulator.installerUsername is required in trusted-user mode" $s.installerUsername)) }}
{{- /* claim-service accepts Cognito access tokens (token_use=access). */}}
{{- $args = append $args "--bearer=access" }}
{{- end }}
{{- with $s.slo }}
{{- $args = append $args (printf "--slo=%s" .) }}
{{- end }}
{{- concat $args $s.extraArgs | toYaml }}
{{- end -}}

{{- define "fleetprov.simulator.claimServiceUrl" -}}
{{- if .Values.simulator.claimServiceUrl -}}
{{- .Values.simulator.claimServiceUrl -}}
{{- else if .Values.claimService.enabled -}}
{{- printf "http://%s:%v" (include "fleetprov.componentName" (list . "claim-service")) .Values.claimService.service.port -}}
{{- else -}}
{{- fail "simulator.claimServiceUrl is required when claimService is disabled" -}}
{{- end -}}
{{- end -}}

{{/* The chart-made Secret's data: only the values given, so optional keys stay absent. */}}
{{- define "fleetprov.secretData" -}}
{{- $s := .Values.secrets -}}
{{- $keys := dict "event-signing-key" $s.eventSigningKey "audit-checkpoint-signing-key" $s.auditCheckpointSigningKey "oidc-client-secret" $s.oidcClientSecret "hook-shared-secret" $s.hookSharedSecret "claim-bundle-key" $s.claimBundleKey "claim-service-db-password" $s.claimServiceDbPassword "audit-service-db-password" $s.auditServiceDbPassword "audit-service-db-owner-password" $s.auditServiceDbOwnerPassword "postgresql-password" $s.postgresqlPassword "simulator-installer-password" $s.simulatorInstallerPassword -}}
{{- range $key, $value := $keys }}
{{- if $value }}
{{ $key }}: {{ $value | b64enc | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Settings without which the services cannot start. The chart still renders (so `helm lint` and a first look at
the defaults work); NOTES.txt lists what is missing.
*/}}
{{- define "fleetprov.missingSettings" -}}
{{- if or .Values.claimService.enabled .Values.auditService.enabled }}
{{- if not (or .Values.postgresql.host .Values.postgresql.inCluster.enabled) }}
- postgresql.host (or postgresql.inCluster.enabled=true)
{{- end }}
{{- if not (include "fleetprov.oidcIssuer" .) }}
- oidc.authServerUrl{{ if .Values.emulator.enabled }} (or a user pool with a fixed id, first in emulator.seed.userPools){{ end }}
{{- end }}
{{- if not (include "fleetprov.mqttHost" .) }}
- iot.endpoint (or emulator.enabled=true)
{{- end }}
{{- if and .Values.claimService.enabled (not .Values.oidc.clientId) }}
- oidc.clientId (claim-service accepts only tokens issued to this app client)
{{- end }}
{{- if not (or .Values.iot.ca.pem .Values.iot.ca.existingConfigMap (include "fleetprov.identities" . | fromYaml).caConfigMap) }}
- iot.ca.pem or iot.ca.existingConfigMap (until then create ConfigMap {{ include "fleetprov.caConfigMap" . }} with key ca.pem)
{{- end }}
{{- end }}
{{- end -}}
