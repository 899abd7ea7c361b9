import { createHash } from 'node:crypto';
import type { RequirementStatus } from '../../core/scan-result.js';
import { type BundleModel, type BundleRun, frameworksOf, latestRun } from './period-model.js';

/** OSCAL version the output follows: the version of the assessment-results JSON schema it is validated against. */
export const OSCAL_VERSION = '1.2.1';

/** Namespace for Evident's deterministic (RFC 4122 version 5) UUIDs. */
const EVIDENT_UUID_NAMESPACE = '4c1d6f0e-8f4b-4a55-9d0c-2b7e5e3f7a11';

/** Property namespace for Evident-specific OSCAL props. */
const NS = 'https://evident.dev/ns/oscal';

/** RFC 4122 §4.3 name-based UUID, version 5 (SHA-1), in `namespace`. Deterministic: same inputs, same UUID. */
export function uuidV5(name: string, namespace: string = EVIDENT_UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * An OSCAL token (XML NCName) for a framework requirement: `<framework>-<id>` with every character other than
 * letters, digits, `.`, `-`, `_` replaced by `_`, e.g. `soc2-CC6.1`, `hipaa-164.312_a__2__iv_`. The original ID is
 * kept in the `requirement-id` prop.
 */
export function requirementToken(framework: string, id: string): string {
  return `${framework}-${id}`.replace(/[^\p{L}\p{N}._-]/gu, '_');
}

/** OSCAL MarkupLine: one non-empty line. */
function line(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 0 ? t : '-';
}

/** OSCAL StringDatatype (no leading/trailing whitespace, single line, non-empty). */
function str(text: string): string {
  return line(text);
}

/** `YYYY-MM-DD` (start of day or end of day) → OSCAL date-time with timezone. */
function dayBound(day: string, end: boolean): string {
  return `${day}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;
}

function prop(name: string, value: string): { name: string; ns: string; value: string } {
  return { name, ns: NS, value: str(value) };
}

/**
 * Renders `report/oscal-assessment-results.json`: an OSCAL 1.x assessment-results document (validates against
 * NIST's `oscal_assessment-results_schema.json`, {@link OSCAL_VERSION}). One `result` per framework, covering the
 * period (start/end = period bounds). `reviewed-controls` lists every requirement of that framework; one
 * `observation` per run in the period (method TEST: an automated scan, with relevant-evidence pointing at the
 * envelope in `entries/` and its sha256) and per manual evidence document (method EXAMINE, pointing at its blob);
 * one `finding` per requirement status of the latest run (target objective-id, state satisfied only for `pass`,
 * otherwise not-satisfied with reason), related to the observation of that run. `import-ap` points at a placeholder
 * plan (`#evident-assessment-plan-placeholder`): Evident has no assessment plan. UUIDs are version 5, derived from
 * content, so the output is deterministic. Returns the JSON text (2-space indent, trailing newline).
 */
export function renderOscalAssessmentResults(model: BundleModel): string {
  const seed = `${model.log.origin}|${model.log.rootHash}|${model.period.from}|${model.period.to}|${model.framework ?? '*'}`;
  const latest = latestRun(model);
  const runObservationUuid = (run: BundleRun): string => uuidV5(`${seed}|observation|${run.envelopeSha256}`);
  const runObservations = model.runs.map((run) => ({
    uuid: runObservationUuid(run),
    title: line(`Evident scan run, log entry ${run.index}`),
    description: `Automated policy scan recorded at ${run.recordedAt} (log index ${run.index}): ${run.result.summary.failing} failing finding(s), exit code ${run.result.summary.exitCode}.`,
    props: [
      prop('log-index', String(run.index)),
      prop('envelope-sha256', run.envelopeSha256),
      ...(run.commit ? [prop('git-commit', run.commit)] : []),
      ...(run.ciRunUrl ? [prop('ci-run-url', run.ciRunUrl)] : []),
    ],
    methods: ['TEST'],
    'relevant-evidence': [
      {
        href: `../entries/${String(run.index).padStart(6, '0')}.dsse.json`,
        description: `Signed DSSE envelope of the run (sha256 ${run.envelopeSha256}).`,
        props: [prop('sha256', run.envelopeSha256)],
      },
      ...run.result.inputs.map((input) => ({
        href: `../blobs/sha256/${input.sha256}`,
        description: `Scanned input ${input.file} (sha256 ${input.sha256}).`,
        props: [prop('sha256', input.sha256), prop('path', input.file)],
      })),
    ],
    collected: run.recordedAt,
  }));
  const manualObservations = model.manual.map((m) => ({
    uuid: uuidV5(`${seed}|manual|${m.envelopeSha256}`),
    title: line(`Manual evidence for ${m.controlId}: ${m.path}`),
    description: `Document ${m.path} logged as evidence for control ${m.controlId} at ${m.recordedAt} (log index ${m.index}).`,
    props: [
      prop('log-index', String(m.index)),
      prop('envelope-sha256', m.envelopeSha256),
      prop('control-id', m.controlId),
    ],
    methods: ['EXAMINE'],
    'relevant-evidence': [
      {
        href: `../blobs/sha256/${m.sha256}`,
        description: `The document (sha256 ${m.sha256}).`,
        props: [prop('sha256', m.sha256)],
      },
    ],
    collected: m.recordedAt,
  }));
  const allObservations = [...runObservations, ...manualObservations];

  const frameworks = latest ? frameworksOf(model, latest) : [];
  const results = frameworks.map((fw) => {
    const finding = (req: RequirementStatus) => {
      const token = requirementToken(fw.id, req.id);
      return {
        uuid: uuidV5(`${seed}|finding|${fw.id}|${req.id}`),
        title: line(`${fw.id} ${req.id}: ${req.status}`),
        description: `${req.title}: ${req.status} — ${req.reason}`,
        props: [prop('requirement-id', req.id), prop('evident-status', req.status)],
        target: {
          type: 'objective-id',
          'target-id': token,
          status:
            req.status === 'pass'
              ? { state: 'satisfied', reason: 'pass' }
              : {
                  state: 'not-satisfied',
                  reason: req.status === 'fail' ? 'fail' : 'other',
                  remarks: req.reason || req.status,
                },
        },
        'related-observations': [{ 'observation-uuid': runObservationUuid(latest!) }],
      };
    };
    return {
      uuid: uuidV5(`${seed}|result|${fw.id}`),
      title: line(`${fw.name} — ${model.period.from} to ${model.period.to}`),
      description: `Evident assessment of ${fw.name} over ${model.period.from} to ${model.period.to}: ${fw.passing} of ${fw.inScope} requirements in scope pass (${fw.compliancePercent.toFixed(1)}%), standing taken from log entry ${latest!.index}.`,
      start: dayBound(model.period.from, false),
      end: dayBound(model.period.to, true),
      props: [prop('framework', fw.id), prop('compliance-percent', fw.compliancePercent.toFixed(1))],
      'reviewed-controls': {
        'control-selections': [
          {
            'include-controls': fw.requirements.map((r) => ({ 'control-id': requirementToken(fw.id, r.id) })),
          },
        ],
      },
      ...(allObservations.length > 0 ? { observations: allObservations } : {}),
      ...(fw.requirements.length > 0 ? { findings: fw.requirements.map(finding) } : {}),
    };
  });
  const doc = {
    'assessment-results': {
      uuid: uuidV5(`${seed}|assessment-results`),
      metadata: {
        title: line(`Evident audit bundle ${model.period.from} to ${model.period.to}`),
        'last-modified': model.createdAt,
        version: `${model.log.treeSize}-${model.log.rootHash.slice(0, 16)}`,
        'oscal-version': OSCAL_VERSION,
        props: [
          prop('log-origin', model.log.origin),
          prop('tree-size', String(model.log.treeSize)),
          prop('root-hash', model.log.rootHash),
          prop('signing-key-id', model.key.keyId),
        ],
      },
      'import-ap': {
        href: '#evident-assessment-plan-placeholder',
        remarks:
          'Evident records continuous automated assessments; no separate OSCAL assessment plan exists.',
      },
      results:
        results.length > 0
          ? results
          : [
              {
                uuid: uuidV5(`${seed}|result|empty`),
                title: line(`No scan runs ${model.period.from} to ${model.period.to}`),
                description: 'No scan run was recorded in this period.',
                start: dayBound(model.period.from, false),
                end: dayBound(model.period.to, true),
                'reviewed-controls': { 'control-selections': [{ 'include-all': {} }] },
                ...(allObservations.length > 0 ? { observations: allObservations } : {}),
              },
            ],
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
