import type { CheckDefinition } from '../../../core/check.js';
import {
  ALL_CONTAINER_GROUPS,
  containerLabel,
  evaluateContainers,
  invalidVerdict,
  stringField,
  type Verdict,
} from '../_lib/pod.js';

/**
 * How an image reference (`[registry[:port]/]path[:tag][@digest]`, the distribution reference
 * grammar) pins its content: by `digest`, by a `tag`, or not at all (`latest` or no tag, which
 * means `latest`).
 */
export function imagePinning(image: string): {
  kind: 'digest' | 'tag' | 'latest' | 'untagged';
  tag?: string;
} {
  if (/@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(image)) return { kind: 'digest' };
  const lastComponent = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastComponent.indexOf(':');
  if (colon < 0) return { kind: 'untagged' };
  const tag = lastComponent.slice(colon + 1);
  return tag === 'latest' || tag === '' ? { kind: 'latest', tag } : { kind: 'tag', tag };
}

/** Every container image names a tag other than `latest`, or a digest. */
export const check: CheckDefinition = {
  id: 'k8s.image-pinned',
  title: 'Container images are pinned to a version tag or digest',
  severity: 'medium',
  rationale:
    'An image referenced as `latest` or without a tag changes under the workload at the next pull: what runs is not what was reviewed and tested, and a rollback cannot name the previous version.',
  remediation:
    'Reference every image by an immutable version tag (`registry.example.com/app:2.4.1`) or, better, by digest (`app@sha256:...`).',
  input: 'kubernetes',
  mappings: {
    soc2: ['CC7.1', 'CC8.1'],
    'iso27001-2022': ['A.8.9', 'A.8.32'],
  },
  trivyEquivalents: ['kubernetes/uses_image_tag_latest'],
  references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
  evaluate(facts) {
    return evaluateContainers(facts, ALL_CONTAINER_GROUPS, (c): Verdict => {
      const label = containerLabel(c);
      const path = [...c.path, 'image'];
      const f = stringField(c.spec, 'image');
      if (f.state === 'invalid')
        return invalidVerdict(path, f.raw, 'a string', `${label}'s image is unknown`);
      if (f.state === 'absent' || f.value.trim() === '') {
        return { outcome: 'unknown', message: `${label} names no image; fix the manifest`, path: c.path };
      }
      const image = f.value.trim();
      if (/\$\{|\$\(|\{\{|%\{/.test(image)) {
        return {
          outcome: 'unknown',
          message: `${label} image ${image} contains an unrendered template placeholder; scan the rendered manifests`,
          path,
        };
      }
      const pin = imagePinning(image);
      if (pin.kind === 'tag' && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(pin.tag ?? '')) {
        return {
          outcome: 'unknown',
          message: `${label} image ${image} has the tag ${JSON.stringify(pin.tag)}, which is not a valid image tag; what it pulls is unknown`,
          path,
        };
      }
      switch (pin.kind) {
        case 'digest':
          return { outcome: 'pass', message: `${label} image ${image} is pinned by digest` };
        case 'tag':
          return { outcome: 'pass', message: `${label} image ${image} is pinned to tag ${pin.tag}` };
        case 'latest':
          return {
            outcome: 'fail',
            message: `${label} uses image ${image} with the mutable tag latest`,
            path,
          };
        default:
          return {
            outcome: 'fail',
            message: `${label} uses image ${image} without a tag (pulls latest)`,
            path,
          };
      }
    });
  },
};
