export { GO_TEMPLATE_REASON, HELM_TEMPLATE_REASON, looksLikeHelmTemplate } from './helm-template.js';
export { loadKubernetes, MAX_ALIAS_COUNT, MAX_YAML_BYTES } from './load-kubernetes.js';
