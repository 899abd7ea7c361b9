import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { DocPath, Facts, KubernetesObject } from '../../../core/facts.js';
import { POD_SPEC_PATHS } from '../../../sources/kubernetes/load-kubernetes.js';

/**
 * TEST HELPER ONLY (unit tests of the k8s checks, independent of the Kubernetes source): parses a
 * multi-document YAML string into {@link KubernetesObject}s with working `locate` (1-based lines).
 * No validation: documents that are not maps are skipped. Not used by any check.
 */
export function k8sFacts(yamlText: string, file = 'test.yaml'): Facts {
  const lc = new LineCounter();
  const docs = parseAllDocuments(yamlText, { lineCounter: lc });
  const kubernetes: KubernetesObject[] = [];
  for (const doc of Array.isArray(docs) ? docs : []) {
    const manifest = doc.toJS() as unknown;
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) continue;
    const m = manifest as Record<string, unknown>;
    const meta = (m.metadata ?? {}) as Record<string, unknown>;
    const objectKind = String(m.kind);
    const name = String(meta.name);
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
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
  return { terraform: [], cloudformation: [], kubernetes };
}
