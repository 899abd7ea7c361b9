import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { DocPath, Facts, KubernetesObject } from '../../../core/facts.js';
import { goYamlValue } from '../../../sources/kubernetes/go-yaml-value.js';
import { POD_SPEC_PATHS } from '../../../sources/kubernetes/load-kubernetes.js';

/**
 * TEST HELPER ONLY (unit tests of the k8s checks, independent of the Kubernetes source): parses a
 * multi-document YAML string into {@link KubernetesObject}s with working `locate` (1-based lines).
 * No validation: documents that are not maps (or that do not parse: a Helm helper) are skipped.
 * Not used by any check.
 */
export function k8sFacts(yamlText: string, file = 'test.yaml'): Facts {
  const lc = new LineCounter();
  // YAML 1.1 values with kubectl's merge-key semantics (go-yaml-value.ts), as manifests are applied.
  const docs = parseAllDocuments(yamlText, { lineCounter: lc, version: '1.1', merge: false });
  const kubernetes: KubernetesObject[] = [];
  for (const doc of Array.isArray(docs) ? docs : []) {
    if (doc.errors.length > 0) continue;
    const value = goYamlValue(doc, doc.contents, 100) as Record<string, unknown> | null;
    // A `List` contributes its items (paths inside them are not located: the item's start line is used).
    const manifests =
      value && value.kind === 'List' && Array.isArray(value.items) ? (value.items as unknown[]) : [value];
    for (const manifest of manifests) {
      if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) continue;
      const m = manifest as Record<string, unknown>;
      const meta = (m.metadata ?? {}) as Record<string, unknown>;
      const objectKind = String(m.kind);
      const name = String(meta.name);
      const namespace =
        typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
      const startLine = lc.linePos(doc.contents?.range?.[0] ?? 0).line;
      const location = { file, line: startLine };
      const podPath = POD_SPEC_PATHS[objectKind];
      let podSpec: KubernetesObject['podSpec'];
      if (podPath) {
        let cur: unknown = m;
        for (const k of podPath) cur = (cur as Record<string, unknown> | undefined)?.[k as string];
        if (typeof cur === 'object' && cur !== null)
          podSpec = { spec: cur as Record<string, unknown>, path: podPath };
      }
      kubernetes.push({
        kind: 'kubernetes',
        apiVersion: String(m.apiVersion),
        objectKind,
        name,
        namespace,
        address: `${objectKind}/${namespace ?? '~'}/${name}`,
        manifest: m,
        podSpec,
        location,
        locate(path: DocPath) {
          let node: unknown = doc.contents;
          for (const k of path) {
            if (isMap(node)) node = node.get(k, true);
            else if (isSeq(node) && typeof k === 'number') node = node.items[k];
            else return location;
            if (node === undefined) return location;
          }
          const range = (node as { range?: [number, number, number] } | undefined)?.range;
          return range ? { file, line: lc.linePos(range[0]).line } : location;
        },
      });
    }
  }
  return { terraform: [], cloudformation: [], kubernetes, secrets: [], dependencies: [] };
}
