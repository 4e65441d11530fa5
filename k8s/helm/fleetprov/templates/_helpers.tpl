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

{{/* The ConfigMap holding the broker's CA: one the user names, else the chart's. */}}
{{- define "fleetprov.caConfigMap" -}}
{{- default (include "fleetprov.componentName" (list . "mqtt-ca")) .Values.iot.ca.existingConfigMap -}}
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
