{{/* Names, labels, images and the security settings every pod shares. */}}

{{- define "fleetprov.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-wide prefix; the release name alone when it already contains the chart name. */}}
{{- define "fleetprov.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects: (list $ "claim-service") → RELEASE-fleetprov-claim-service */}}
{{- define "fleetprov.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "fleetprov.fullname" $root | trunc 40 | trimSuffix "-") (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fleetprov.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "fleetprov.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "fleetprov.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "fleetprov.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: fleetprov
{{- end -}}

{{/* (list $ .Values.claimService.image) → registry/repository:tag, the tag defaulting to the appVersion. */}}
{{- define "fleetprov.image" -}}
{{- $root := index . 0 -}}
{{- $image := index . 1 -}}
{{- printf "%s%s:%s" $root.Values.imageRegistry $image.repository (default $root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{/* (list $ "claim-service" .Values.claimService.serviceAccount) */}}
{{- define "fleetprov.serviceAccountName" -}}
{{- $sa := index . 2 -}}
{{- if $sa.create -}}
{{- default (include "fleetprov.componentName" (list (index . 0) (index . 1))) $sa.name -}}
{{- else -}}
{{- default "default" $sa.name -}}
{{- end -}}
{{- end -}}

{{- define "fleetprov.secretName" -}}
{{- default (include "fleetprov.componentName" (list . "secrets")) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "fleetprov.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext -}}
{{- end -}}

{{- define "fleetprov.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext -}}
{{- end -}}

{{- define "fleetprov.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The MQTT host services and devices use: iot.endpoint, else the in-cluster emulator. */}}
{{- define "fleetprov.mqttHost" -}}
{{- if .Values.iot.endpoint -}}
{{- .Values.iot.endpoint -}}
{{- else if .Values.emulator.enabled -}}
{{- include "fleetprov.componentName" (list . "emulator") -}}
{{- end -}}
{{- end -}}

{{- define "fleetprov.mqttPort" -}}
{{- if and (not .Values.iot.endpoint) .Values.emulator.enabled -}}
{{- .Values.emulator.mqttPort -}}
{{- else -}}
{{- .Values.iot.port -}}
{{- end -}}
{{- end -}}

{{/* The AWS control-plane endpoint override: aws.endpointOverride, else the emulator's HTTP port, else none. */}}
{{- define "fleetprov.awsEndpoint" -}}
{{- if .Values.aws.endpointOverride -}}
{{- .Values.aws.endpointOverride -}}
{{- else if .Values.emulator.enabled -}}
{{- printf "http://%s:%v" (include "fleetprov.componentName" (list . "emulator")) .Values.emulator.httpPort -}}
{{- end -}}
{{- end -}}

{{- define "fleetprov.postgresHost" -}}
{{- if .Values.postgresql.inCluster.enabled -}}
{{- include "fleetprov.componentName" (list . "postgresql") -}}
{{- else -}}
{{- .Values.postgresql.host -}}
{{- end -}}
{{- end -}}

{{/*
The ConfigMap holding the broker's CA: one the user names; else the chart's own from iot.ca.pem; else the one the
identities Job fills from the in-cluster emulator; else the chart's name, for the user to create.
*/}}
{{- define "fleetprov.caConfigMap" -}}
{{- if .Values.iot.ca.existingConfigMap -}}
{{- .Values.iot.ca.existingConfigMap -}}
{{- else if .Values.iot.ca.pem -}}
{{- include "fleetprov.componentName" (list . "mqtt-ca") -}}
{{- else -}}
{{- $identities := include "fleetprov.identities" . | fromYaml -}}
{{- default (include "fleetprov.componentName" (list . "mqtt-ca")) $identities.caConfigMap -}}
{{- end -}}
{{- end -}}

{{/* The Secret with the access key the in-cluster emulator verifies SigV4 with (access-key-id, secret-access-key). */}}
{{- define "fleetprov.emulatorAccessKeySecret" -}}
{{- default (printf "%s-access-key" (include "fleetprov.componentName" (list . "emulator"))) .Values.emulator.accessKey.existingSecret -}}
{{- end -}}

{{/*
Env entries with the emulator's access key: (list $ "ID_VARIABLE" "SECRET_VARIABLE"). Not optional: a client
without the key would only be refused later, by the strict emulator.
*/}}
{{- define "fleetprov.emulatorAccessKeyEnv" -}}
{{- $root := index . 0 }}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "fleetprov.emulatorAccessKeySecret" $root }}
      key: access-key-id
- name: {{ index . 2 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "fleetprov.emulatorAccessKeySecret" $root }}
      key: secret-access-key
{{- end -}}

{{/* "true" when the release's AWS clients call the in-cluster emulator's control plane (no aws.endpointOverride). */}}
{{- define "fleetprov.callsEmulatorApi" -}}
{{- if and .Values.emulator.enabled (not .Values.aws.endpointOverride) -}}true{{- end -}}
{{- end -}}

{{/* The release's claim-service hook URL: the only URL the emulator sends the hook secret to. */}}
{{- define "fleetprov.claimServiceHookUrl" -}}
{{- printf "http://%s:%v/v1/hooks/pre-provisioning" (include "fleetprov.componentName" (list . "claim-service")) .Values.claimService.service.port -}}
{{- end -}}

{{/* The host name the in-cluster emulator gives its clients and its Cognito issuer: emulator.advertisedHost, else its Service. */}}
{{- define "fleetprov.emulatorHost" -}}
{{- default (include "fleetprov.componentName" (list . "emulator")) .Values.emulator.advertisedHost -}}
{{- end -}}

{{/*
The OIDC issuer: oidc.authServerUrl, else the first user pool seeded into the in-cluster emulator (when it has a
fixed id), whose issuer is http://<advertised host>:<httpPort>/<poolId>.
*/}}
{{- define "fleetprov.oidcIssuer" -}}
{{- if .Values.oidc.authServerUrl -}}
{{- .Values.oidc.authServerUrl -}}
{{- else if .Values.emulator.enabled -}}
{{- $pools := default (list) (dig "seed" "userPools" (list) .Values.emulator) -}}
{{- if $pools -}}
{{- with (index $pools 0).id -}}
{{- printf "http://%s:%v/%s" (include "fleetprov.emulatorHost" $) $.Values.emulator.httpPort . -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
What the identities Job writes, as YAML: {secrets: [{service, secret}], caConfigMap}. An MQTT identity Secret for
each enabled service whose Secret the chart names (no mqtt.existingSecret), and the emulator's CA in a ConfigMap
unless iot.ca names one. Empty when there is nothing to do: no emulator, emulator.identities off, or the services
use another broker (iot.endpoint).
*/}}
{{- define "fleetprov.identities" -}}
{{- $secrets := list -}}
{{- $ca := "" -}}
{{- if and .Values.emulator.enabled .Values.emulator.identities.enabled (not .Values.iot.endpoint) -}}
{{- range $component, $key := dict "claim-service" "claimService" "audit-service" "auditService" -}}
{{- $v := index $.Values $key -}}
{{- if and $v.enabled (not $v.mqtt.existingSecret) -}}
{{- $secrets = append $secrets (dict "service" $component "secret" (include "fleetprov.mqttClientSecret" (list $ $component $v))) -}}
{{- end -}}
{{- end -}}
{{- if not (or .Values.iot.ca.pem .Values.iot.ca.existingConfigMap) -}}
{{- $ca = include "fleetprov.componentName" (list . "emulator-ca") -}}
{{- end -}}
{{- end -}}
{{- if or $secrets $ca -}}
{{- toYaml (dict "secrets" $secrets "caConfigMap" $ca) -}}
{{- end -}}
{{- end -}}

{{/* Prometheus scrape annotations for a Quarkus pod. */}}
{{- define "fleetprov.metricsAnnotations" -}}
{{- if .Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/path: /q/metrics
prometheus.io/port: "8080"
{{- end }}
{{- end -}}

{{/* The Secret (type kubernetes.io/tls) with a service's MQTT client certificate. (list $ "claim-service" .Values.claimService) */}}
{{- define "fleetprov.mqttClientSecret" -}}
{{- $v := index . 2 -}}
{{- default (printf "%s-mqtt" (include "fleetprov.componentName" (list (index . 0) (index . 1)))) $v.mqtt.existingSecret -}}
{{- end -}}
