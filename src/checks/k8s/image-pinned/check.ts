import type { CheckDefinition } from '../../../core/check.js';
import type { Messages } from '../../../core/verdict.js';
import { ALL_CONTAINER_GROUPS, at, evaluateContainers, pass, unknownPart } from '../_lib/pod.js';

const MESSAGES: Messages = {
  'no-image': '{{container}} names no image; fix the manifest',
  placeholder:
    '{{container}} image {{image}} contains an unrendered template placeholder; scan the rendered manifests',
  'invalid-tag':
    '{{container}} image {{image}} has the tag {{tag}}, which is not a valid image tag; what it pulls is unknown',
  digest: '{{container}} image {{image}} is pinned by digest',
  tag: '{{container}} image {{image}} is pinned to tag {{tag}}',
  latest: '{{container}} uses image {{image}} with the mutable tag latest',
  untagged: '{{container}} uses image {{image}} without a tag (pulls latest)',
};

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
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
  mappings: {
    soc2: ['CC7.1', 'CC8.1'],
    'iso27001-2022': ['A.8.9', 'A.8.32'],
  },
  trivyEquivalents: ['kubernetes/uses_image_tag_latest'],
  references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
  evaluate(_facts, ctx) {
    return evaluateContainers(
      ctx,
      ALL_CONTAINER_GROUPS,
      ({ container, label, location }) => {
        const v = container.image;
        if (v.state === 'unknown') return unknownPart(v, `${label}'s image is unknown`);
        if (v.state === 'absent' || v.value.trim() === '')
          return { ...at('unknown', 'no-image', v, { container: label }), location };
        const image = v.value.trim();
        const data = { container: label, image };
        if (/\$\{|\$\(|\{\{|%\{/.test(image)) return at('unknown', 'placeholder', v, data);
        const pin = imagePinning(image);
        if (pin.kind === 'tag' && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(pin.tag ?? ''))
          return at('unknown', 'invalid-tag', v, { ...data, tag: JSON.stringify(pin.tag) });
        switch (pin.kind) {
          case 'digest':
            return pass('digest', data);
          case 'tag':
            return pass('tag', { ...data, tag: pin.tag ?? '' });
          case 'latest':
            return at('fail', 'latest', v, data);
          default:
            return at('fail', 'untagged', v, data);
        }
      },
      MESSAGES,
    );
  },
};
