/**
 * Recognising Helm / Go templates among YAML files. A chart's `templates/*.yaml` are not YAML until
 * rendered (`helm template`), but plain manifests may legitimately carry `{{ }}` inside strings
 * (Kyverno `{{ request.namespace }}`, Prometheus `{{ $labels.instance }}`), so `{{` alone is not
 * enough: a file is a Helm template when it uses Helm's own vocabulary or whitespace trimming.
 */

/** The reason recorded in `skipped` for a Helm template. */
export const HELM_TEMPLATE_REASON = 'Helm template: render it first (helm template) to scan it';

/** The reason recorded in `skipped` for a file with `{{ }}` that does not parse as YAML. */
export const GO_TEMPLATE_REASON =
  'Go template syntax ({{ }}) that is not valid YAML: render it first (helm template, or your templating tool) to scan it';

const HELM_MARKERS =
  /\{\{-|-\}\}|\{\{[^}]*\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|\{\{-?\s*(?:include|template|define|toYaml|tpl|required)\b/;

/** True when `text` contains `{{` at all (a template candidate). */
export function hasTemplateBraces(text: string): boolean {
  return text.includes('{{');
}

/** True when `text` uses Helm template vocabulary (`.Values`, `.Release`, `include`, `{{-`, ...). */
export function looksLikeHelmTemplate(text: string): boolean {
  return hasTemplateBraces(text) && HELM_MARKERS.test(text);
}
