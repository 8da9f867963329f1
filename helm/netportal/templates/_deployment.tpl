{{/*
One component's Deployment. Call with a dict:
  root         the top-level context ($)
  component    ui | api
  values       the component's values (.Values.ui, ...)
  port         the port its web server (and so its health endpoints) listens on
  portName     the name of that port
  env          component-specific env entries (a list of EnvVar maps)
  volumes      optional: more pod volumes of this component (a list of Volume maps), next to /tmp
  volumeMounts optional: where the container mounts them (a list of VolumeMount maps)
*/}}
{{- define "netportal.deployment" -}}
{{- $root := .root -}}
{{- $c := .values -}}
{{- $ctx := dict "root" $root "component" .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "netportal.fullname" $root }}-{{ .component }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "netportal.componentLabels" $ctx | nindent 4 }}
spec:
  {{- if not (and $c.autoscaling $c.autoscaling.enabled) }}
  replicas: {{ $c.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "netportal.componentSelectorLabels" $ctx | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # a new pod must be ready before an old one goes
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "netportal.componentLabels" $ctx | nindent 8 }}
        {{- with $c.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # a changed setting rolls the pods
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
        {{- with $c.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "netportal.serviceAccountName" $root }}
      # the portal never calls the Kubernetes API
      automountServiceAccountToken: false
      # Without this, Kubernetes adds variables such as NETPORTAL_API_PORT=tcp://10.0.0.1:8081 for the Services
      # of the namespace, which Spring would read as netportal.api.port.
      enableServiceLinks: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
      containers:
        - name: {{ .component }}
          image: {{ include "netportal.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: {{ .portName }}
              containerPort: {{ .port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "netportal.fullname" $root }}
          env:
            {{- toYaml .env | nindent 12 }}
            # the migration Job migrates the schema, once per release, before new pods start
            - name: SPRING_FLYWAY_ENABLED
              value: "false"
            {{- include "netportal.secretEnv" (dict "name" "SPRING_R2DBC_PASSWORD" "source" (include "netportal.databasePasswordSource" $root | fromYaml)) | nindent 12 }}
            {{- with $c.javaToolOptions }}
            - name: JAVA_TOOL_OPTIONS
              value: {{ . | quote }}
            {{- end }}
            {{- with $c.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /actuator/health/liveness
              port: {{ .portName }}
            periodSeconds: {{ $root.Values.probes.startup.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.startup.failureThreshold }}
            timeoutSeconds: {{ $root.Values.probes.startup.timeoutSeconds }}
          livenessProbe:
            httpGet:
              path: /actuator/health/liveness
              port: {{ .portName }}
            periodSeconds: {{ $root.Values.probes.liveness.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.liveness.failureThreshold }}
            timeoutSeconds: {{ $root.Values.probes.liveness.timeoutSeconds }}
          readinessProbe:
            httpGet:
              path: /actuator/health/readiness
              port: {{ .portName }}
            periodSeconds: {{ $root.Values.probes.readiness.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.readiness.failureThreshold }}
            timeoutSeconds: {{ $root.Values.probes.readiness.timeoutSeconds }}
          resources:
            {{- toYaml $c.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with .volumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        # the root file system is read-only: Tomcat and the JVM write here
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpVolume.sizeLimit }}
        {{- with .volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      affinity:
        {{- if $c.affinity }}
        {{- toYaml $c.affinity | nindent 8 }}
        {{- else }}
        {{- include "netportal.defaultAffinity" $ctx | nindent 8 }}
        {{- end }}
{{- end }}
