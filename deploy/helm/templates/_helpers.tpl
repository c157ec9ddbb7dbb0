{{/*
Helpers shared by every template. The templates stay deliberately plain (no range, no dict contexts) so that the
chart tests can render them without helm: see tests/Platform.Tests/Deploy/ChartRenderer.cs.
*/}}

{{- define "platform.labels" -}}
app.kubernetes.io/name: platform
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: platform-{{ .Chart.Version }}
{{- end }}

{{- define "platform.selectorLabels" -}}
app.kubernetes.io/name: platform
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "platform.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{ .Values.secrets.existingSecret }}
{{- else -}}
{{ .Release.Name }}-secrets
{{- end -}}
{{- end }}

{{- define "platform.imageTag" -}}
{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* Settings every host reads: the ConfigMap and the Secret as environment variables. */}}
{{- define "platform.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ .Release.Name }}-config
  - secretRef:
      name: {{ include "platform.secretName" . }}
{{- end }}

{{/* The three health endpoints every host serves on its "http" port. Startup allows 5 minutes for migrations. */}}
{{- define "platform.probes" -}}
startupProbe:
  httpGet:
    path: /health/startup
    port: http
  periodSeconds: 5
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /health/live
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /health/ready
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
{{- end }}

{{- define "platform.podSecurityContext" -}}
securityContext:
{{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end }}

{{- define "platform.containerSecurityContext" -}}
securityContext:
{{- toYaml .Values.securityContext | nindent 2 }}
{{- end }}

{{/* /tmp is writable (read-only root); the blob volume when blobs are local. */}}
{{- define "platform.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- if eq .Values.blobs.provider "Local" }}
  - name: blobs
    mountPath: /data/blobs
{{- end }}
{{- end }}

{{- define "platform.volumes" -}}
volumes:
  - name: tmp
    emptyDir: {}
{{- if eq .Values.blobs.provider "Local" }}
  - name: blobs
    persistentVolumeClaim:
      claimName: {{ include "platform.blobClaimName" . }}
{{- end }}
{{- end }}

{{- define "platform.blobClaimName" -}}
{{- if .Values.blobs.persistence.existingClaim -}}
{{ .Values.blobs.persistence.existingClaim }}
{{- else -}}
{{ .Release.Name }}-blobs
{{- end -}}
{{- end }}
