{{/*
The objects of one Quarkus service (claim-service, audit-service): both are deployed the same way, only their
settings differ. Called as (list $ "claim-service" "claimService").
*/}}
{{- define "fleetprov.quarkusService" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
{{- $key := index . 2 -}}
{{- $v := index $root.Values $key -}}
{{- $name := include "fleetprov.componentName" (list $root $component) -}}
{{- if $v.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "fleetprov.serviceAccountName" (list $root $component $v.serviceAccount) }}
  labels:
    {{- include "fleetprov.labels" (list $root $component) | nindent 4 }}
  {{- if or $v.serviceAccount.roleArn $v.serviceAccount.annotations }}
  annotations:
    {{- with $v.serviceAccount.roleArn }}
    # IRSA: pods of this account get the role's AWS credentials; no access keys in the cluster.
    eks.amazonaws.com/role-arn: {{ . | quote }}
    {{- end }}
    {{- with $v.serviceAccount.annotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
# Only the AWS SDK (via IRSA) needs credentials; the Kubernetes API token is not mounted.
automountServiceAccountToken: false
---
{{- end }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $name }}
  labels:
    {{- include "fleetprov.labels" (list $root $component) | nindent 4 }}
data:
  {{- include (printf "fleetprov.config.%s" $key) $root | nindent 2 }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "fleetprov.labels" (list $root $component) | nindent 4 }}
spec:
  type: {{ $v.service.type }}
  selector:
    {{- include "fleetprov.selectorLabels" (list $root $component) | nindent 4 }}
  ports:
    - name: http
      port: {{ $v.service.port }}
      targetPort: http
      protocol: TCP
    {{- if dig "https" "enabled" false $v }}
    - name: https
      port: {{ $v.https.port }}
      targetPort: https
      protocol: TCP
    {{- end }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "fleetprov.labels" (list $root $component) | nindent 4 }}
spec:
  {{- if not (dig "autoscaling" "enabled" false $v) }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  strategy:
    type: {{ $v.strategy.type }}
  selector:
    matchLabels:
      {{- include "fleetprov.selectorLabels" (list $root $component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "fleetprov.selectorLabels" (list $root $component) | nindent 8 }}
      annotations:
        # A changed ConfigMap or Secret rolls the pods: environment variables are read only at start.
        checksum/config: {{ include (printf "fleetprov.config.%s" $key) $root | sha256sum }}
        # The trusted event keys are read at start too (audit-service's trust directory).
        checksum/event-keys: {{ include "fleetprov.trustedEventKeys" $root | sha256sum }}
        {{- if not $root.Values.secrets.existingSecret }}
        checksum/secrets: {{ include "fleetprov.secretData" $root | sha256sum }}
        {{- end }}
        {{- include "fleetprov.metricsAnnotations" $root | nindent 8 }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "fleetprov.serviceAccountName" (list $root $component $v.serviceAccount) }}
      {{- include "fleetprov.imagePullSecrets" $root | nindent 6 }}
      securityContext:
        {{- include "fleetprov.podSecurityContext" $root | nindent 8 }}
      containers:
        - name: {{ $component }}
          image: {{ include "fleetprov.image" (list $root $v.image) | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          securityContext:
            {{- include "fleetprov.containerSecurityContext" $root | nindent 12 }}
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
            {{- if dig "https" "enabled" false $v }}
            - name: https
              containerPort: {{ $v.https.port }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ $name }}
          env:
            {{- include (printf "fleetprov.secretEnv.%s" $key) $root | nindent 12 }}
          # Quarkus SmallRye Health: live = the process works, ready = database and broker are reachable.
          startupProbe:
            httpGet: {path: /q/health/started, port: http}
            periodSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet: {path: /q/health/live, port: http}
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: /q/health/ready, port: http}
            periodSeconds: 5
            failureThreshold: 3
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: mqtt-client
              mountPath: /etc/fleetprov/mqtt
              readOnly: true
            - name: mqtt-ca
              mountPath: /etc/fleetprov/mqtt-ca
              readOnly: true
            {{- include (printf "fleetprov.volumeMounts.%s" $key) $root | nindent 12 }}
            {{- if dig "https" "enabled" false $v }}
            - name: https
              mountPath: /etc/fleetprov/https
              readOnly: true
            {{- end }}
      volumes:
        # The root filesystem is read-only; Quarkus and Vert.x write their caches under /tmp.
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
        # Not optional: until the Secret and the ConfigMap exist (made by you, or by the identities Job against the
        # in-cluster emulator), the pod waits in ContainerCreating instead of starting without its MQTT identity.
        - name: mqtt-client
          secret:
            secretName: {{ include "fleetprov.mqttClientSecret" (list $root $component $v) }}
            defaultMode: 0440
            optional: false
        - name: mqtt-ca
          configMap:
            name: {{ include "fleetprov.caConfigMap" $root }}
            optional: false
        {{- include (printf "fleetprov.volumes.%s" $key) $root | nindent 8 }}
        {{- if dig "https" "enabled" false $v }}
        - name: https
          secret:
            secretName: {{ required "claimService.https.secretName is required with https.enabled" $v.https.secretName }}
            defaultMode: 0440
        {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      # Spread replicas over nodes, so a node drain never takes all of them.
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "fleetprov.selectorLabels" (list $root $component) | nindent 14 }}
{{- if dig "autoscaling" "enabled" false $v }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  labels:
    {{- include "fleetprov.labels" (list $root $component) | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- if $v.pdb.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "fleetprov.labels" (list $root $component) | nindent 4 }}
spec:
  minAvailable: {{ $v.pdb.minAvailable }}
  selector:
    matchLabels:
      {{- include "fleetprov.selectorLabels" (list $root $component) | nindent 6 }}
{{- end }}
{{- if $root.Values.metrics.serviceMonitor.enabled }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ $name }}
  labels:
    {{- include "fleetprov.labels" (list $root $component) | nindent 4 }}
    {{- with $root.Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "fleetprov.selectorLabels" (list $root $component) | nindent 6 }}
  endpoints:
    - port: http
      path: /q/metrics
      interval: {{ $root.Values.metrics.serviceMonitor.interval }}
{{- end }}
{{- end -}}
