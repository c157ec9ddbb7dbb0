// Validates Kubernetes manifests offline against the published schemas: kubernetes-models for the built-in kinds,
// @kubernetes-models/keda for ScaledObject/TriggerAuthentication, @kubernetes-models/prometheus-operator for
// PodMonitor/PrometheusRule. Usage: node validate.mjs FILE.yaml…  Prints one line per object; exits 1 on any error.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const modules = {
  "keda.sh/": "@kubernetes-models/keda/keda.sh/",
  "monitoring.coreos.com/": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/",
};

function modulePath(apiVersion) {
  for (const [prefix, path] of Object.entries(modules)) {
    if (apiVersion.startsWith(prefix)) return path + apiVersion.slice(prefix.length);
  }
  return "kubernetes-models/" + apiVersion; // "v1", "apps/v1", "networking.k8s.io/v1", …
}

let failures = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const obj = doc.toJS();
    if (!obj) continue;
    const where = `${obj.kind}/${obj.metadata?.name} (${file})`;
    try {
      const model = (await import(modulePath(obj.apiVersion)))[obj.kind];
      if (!model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
      new model(obj).validate();
      console.log(`ok ${where}`);
    } catch (error) {
      failures++;
      console.log(`INVALID ${where}: ${error.message}`);
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
