import type { Source } from '../../core/source.js';
import { loadKubernetes } from './index.js';

/** How much of a `.json` file is read to tell a manifest from other JSON. */
const JSON_SNIFF_BYTES = 4096;

/** True when JSON text starts as an object and names `apiVersion` and `kind` near its top. */
export function looksLikeJsonManifest(head: string): boolean {
  return /^\s*\{/.test(head) && /"apiVersion"\s*:/.test(head) && /"kind"\s*:/.test(head);
}

/**
 * Kubernetes manifests: `*.yaml` / `*.yml` files not claimed by an earlier source, every document
 * and `List` item an object; Helm templates are listed as skipped. Facts:
 * {@link import('../../core/facts.js').KubernetesObject}.
 */
export const kubernetesSource: Source<'kubernetes'> = {
  id: 'kubernetes',
  facts: 'kubernetes',
  title: 'Kubernetes manifests',
  reads:
    '`*.yaml` / `*.yml` manifests (multi-document, `List`s, every workload kind through its pod template), `*.json` manifests (an object with `apiVersion` and `kind`), and kustomizations (listed as not evaluated)',
  priority: 100,
  fixtureSuffixes: ['.yaml', '.yml', '.json'],
  async claim(files, ctx) {
    const out = [];
    for (const f of files) {
      const lower = f.name.toLowerCase();
      if (lower.endsWith('.yaml') || lower.endsWith('.yml') || f.name === 'Kustomization') out.push(f);
      else if (lower.endsWith('.json')) {
        // JSON manifests (kubectl apply -f x.json); other JSON (package.json, plans, ...) is not claimed.
        const head = await ctx.head(f, JSON_SNIFF_BYTES);
        if (head !== undefined && looksLikeJsonManifest(head)) out.push(f);
      }
    }
    return out;
  },
  async load(files, ctx) {
    const out = await loadKubernetes(
      ctx.root,
      files.map((f) => f.abs),
    );
    if (files.length) ctx.progress(`read ${files.length} Kubernetes manifest files`);
    return out;
  },
};
