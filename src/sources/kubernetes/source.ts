import type { Source } from '../../core/source.js';
import { loadKubernetes } from './index.js';

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
    '`*.yaml` / `*.yml` manifests (multi-document, `List`s, every workload kind through its pod template)',
  priority: 100,
  fixtureSuffixes: ['.yaml', '.yml'],
  async claim(files) {
    return files.filter((f) => {
      const lower = f.name.toLowerCase();
      return lower.endsWith('.yaml') || lower.endsWith('.yml');
    });
  },
  async load(files, ctx) {
    const out = await loadKubernetes(
      ctx.root,
      files.map((f) => f.abs),
      { limits: ctx.options.limits },
    );
    if (files.length) ctx.progress(`read ${files.length} Kubernetes manifest files`);
    return out;
  },
};
