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
  channel: '{{container}} uses image {{image}} with the tag {{tag}}, a channel that moves like latest',
  'no-version':
    '{{container}} image {{image}} has the tag {{tag}}, which names no version and may move; pin a version tag or a digest',
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

/**
 * Tags that name a channel, not a version: they move to new content as `latest` does. Compared
 * case-insensitively, as a whole tag or as one `-`/`_`/`.`-separated part (`3-latest`, `edge-alpine`).
 */
const MOVING_TAGS = new Set([
  'latest',
  'stable',
  'main',
  'master',
  'edge',
  'nightly',
  'dev',
  'develop',
  'development',
  'canary',
  'beta',
  'alpha',
  'next',
  'current',
  'lts',
  'release',
  'rolling',
  'unstable',
  'snapshot',
  'head',
  'trunk',
  'mainline',
  'experimental',
  'preview',
  'prod',
  'production',
  'staging',
]);

/**
 * What "pinned" means here: a digest pins content; a tag pins a version only when it looks like one
 * (it contains a digit: `1.25`, `v2`, `2024-05-01`, `3.19-alpine`) and names no channel. A channel
 * tag (`latest`, `stable`, `main`, `edge`, `3-latest`...) fails like `latest`; a tag with no digit
 * that is not a known channel (`alpine`, `bookworm`) is unknown: it names no version and may move.
 */
export function tagPinning(tag: string): 'version' | 'channel' | 'no-version' {
  const parts = tag.toLowerCase().split(/[-_.]/);
  if (MOVING_TAGS.has(tag.toLowerCase()) || parts.some((p) => MOVING_TAGS.has(p))) return 'channel';
  return /\d/.test(tag) ? 'version' : 'no-version';
}

/** Every container image is pinned by digest or by a version-looking tag (see {@link tagPinning}). */
export const check: CheckDefinition = {
  id: 'k8s.image-pinned',
  title: 'Container images are pinned to a version tag or digest',
  severity: 'medium',
  rationale:
    'An image referenced as `latest`, without a tag, or by a channel tag (`stable`, `main`, `edge`) changes under the workload at the next pull: what runs is not what was reviewed and tested, and a rollback cannot name the previous version. Pinned means a digest, or a tag that names a version (it contains a digit and no channel name).',
  remediation:
    'Reference every image by an immutable version tag (`registry.example.com/app:2.4.1`) or, better, by digest (`app@sha256:...`).',
  input: 'kubernetes',
  concerns: ['k8s.workloads'],
  messages: MESSAGES,
  adversarial: {
    spelling: ['fail-latest-upper-case.yaml', 'fail-registry-port-without-tag.yaml'],
    'equivalent-values': ['fail-channel-tag-stable.yaml', 'fail-latest-suffix-tag.yaml'],
    unresolvable: ['unknown-unrendered-tag-placeholder.yaml', 'unknown-tag-without-version.yaml'],
    'invalid-input': ['unknown-malformed-digest.yaml'],
  },
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
          case 'tag': {
            const tag = pin.tag ?? '';
            const kind = tagPinning(tag);
            if (kind === 'channel') return at('fail', 'channel', v, { ...data, tag });
            if (kind === 'no-version') return at('unknown', 'no-version', v, { ...data, tag });
            return pass('tag', { ...data, tag });
          }
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
