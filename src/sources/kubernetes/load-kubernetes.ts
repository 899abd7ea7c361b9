import { createHash } from 'node:crypto';
import path from 'node:path';
import { type Document, isMap, Lexer, LineCounter, type Node, parseAllDocuments, type Tags } from 'yaml';
import type { Diagnostic } from '../../core/errors.js';
import type { DocPath, KubernetesObject } from '../../core/facts.js';
import type { SourceResult } from '../../core/source-result.js';
import { diagnosticSink, readTextInput } from '../read-text-input.js';
import { goYamlValue, MergeValueError } from './go-yaml-value.js';
import {
  GO_TEMPLATE_REASON,
  HELM_TEMPLATE_REASON,
  hasTemplateBraces,
  looksLikeHelmTemplate,
} from './helm-template.js';
import { nodeAt, nodeLocation } from './yaml-locator.js';

/** YAML files larger than this many bytes are not read (`E_INPUT_TOO_LARGE`). */
export const MAX_YAML_BYTES = 20 * 1024 * 1024;

/** Most aliases one document may expand (the `yaml` package's billion-laughs guard). */
export const MAX_ALIAS_COUNT = 100;

/** At most this many YAML errors are reported per file; the rest are summarised. */
const MAX_ERRORS_PER_FILE = 20;

/** Pod spec location per workload kind (KubernetesObject.podSpec). */
export const POD_SPEC_PATHS: Record<string, DocPath> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  // OpenShift (apps.openshift.io/v1): a Deployment-like workload with the same pod template path.
  DeploymentConfig: ['spec', 'template', 'spec'],
};

/**
 * YAML 1.1 tags whose JS values are not plain JSON (Date, Uint8Array, Set, Map) or that Kubernetes'
 * YAML decoder does not apply (base-60 numbers): left out so such scalars stay strings.
 */
const NON_JSON_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:set',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
]);

function jsonTags(tags: Tags): Tags {
  return tags.filter((t) => {
    if (typeof t !== 'object') return true;
    if (NON_JSON_TAGS.has(t.tag)) return false;
    return !('format' in t && t.format === 'TIME');
  });
}

/**
 * Loads Kubernetes objects from YAML files (multi-document; `List` and `*List` kinds expand to their
 * items). A document is a Kubernetes object when it is a map with string `apiVersion` and `kind`;
 * anything else (CI workflows, Helm values, docker-compose, evident.yaml, Chart.yaml) is silently
 * ignored, as are tool config files (kubeconfig `kind: Config`, kustomization, kind and skaffold configs).
 *
 * Parsing follows what kubectl's decoder sees: YAML 1.1 scalars (`yes`/`on` are booleans, `0644`
 * is octal), merge keys, timestamps kept as strings. Only files holding at least one object are
 * listed in `inputs`.
 *
 * Never throws for bad input. Helm templates (see helm-template.ts) go to `skipped`; binary files
 * (NUL in the first 8 KiB), files over {@link MAX_YAML_BYTES}, YAML syntax errors and duplicate keys
 * (the document is skipped, the file's other documents load), alias bombs (over
 * {@link MAX_ALIAS_COUNT} aliases) and workloads without a pod spec become diagnostics with line and
 * column. Syntax errors in files that do not look like manifests (no `apiVersion:`/`kind:` line)
 * are warnings, not errors.
 */
export async function loadKubernetes(root: string, files: string[]): Promise<SourceResult<KubernetesObject>> {
  const result: SourceResult<KubernetesObject> = { facts: [], inputs: [], skipped: [], diagnostics: [] };
  const absRoot = path.resolve(root);
  // Files are read READ_AHEAD ahead of the one being parsed (parsing is synchronous, CPU-bound work;
  // awaiting each read in turn left the thread idle for several I/O round trips per file). Each file's
  // read diagnostics are buffered and emitted just before its parse diagnostics, so the result, in
  // order, is the same as reading and parsing one file at a time.
  const pending: (Promise<FileRead> | undefined)[] = new Array(files.length);
  const start = (i: number) => {
    if (i >= files.length) return;
    const file = path.resolve(absRoot, files[i] as string);
    // readTextInput reports its failures as diagnostics; this catch only keeps a surprise rejection of a
    // read-ahead promise from going unhandled while an earlier file is parsed.
    pending[i] = readFileInput(absRoot, file).catch((err: unknown) => ({
      rel: relPosix(absRoot, file),
      read: undefined,
      diagnostics: [
        {
          severity: 'error',
          code: 'E_IO',
          file: relPosix(absRoot, file),
          message: `Cannot read YAML file: ${err instanceof Error ? err.message : String(err)}. Any Kubernetes objects in it were not scanned.`,
        },
      ],
    }));
  };
  for (let i = 0; i < READ_AHEAD; i++) start(i);
  for (let i = 0; i < files.length; i++) {
    const read = await (pending[i] as Promise<FileRead>);
    pending[i] = undefined;
    start(i + READ_AHEAD);
    loadFile(read, result);
  }
  return result;
}

/** How many files are read ahead of the file being parsed. */
const READ_AHEAD = 8;

/** One file as read: its POSIX path relative to the root, its bytes and text (absent when unreadable), and the read's diagnostics. */
interface FileRead {
  rel: string;
  read: { buf: Buffer; text: string } | undefined;
  diagnostics: Diagnostic[];
}

async function readFileInput(root: string, file: string): Promise<FileRead> {
  const rel = relPosix(root, file);
  const diagnostics: Diagnostic[] = [];
  const read = await readTextInput(
    file,
    MAX_YAML_BYTES,
    {
      tooLarge: (bytes, max) =>
        `YAML file is ${bytes} bytes, over the ${max}-byte limit: not scanned, so any Kubernetes objects in it have no findings. Split it, or exclude it if it is not a manifest.`,
      unreadable: (code) => `Cannot read YAML file: ${code}. Any Kubernetes objects in it were not scanned.`,
      binary:
        'File is binary (NUL bytes), not YAML: not scanned. Exclude it, or re-save it as UTF-8 text if it is a manifest.',
    },
    diagnosticSink(rel, diagnostics),
  );
  return { rel, read, diagnostics };
}

function loadFile(input: FileRead, out: SourceResult<KubernetesObject>): void {
  const { rel, read } = input;
  out.diagnostics.push(...input.diagnostics);
  const diag = diagnosticSink(rel, out.diagnostics);
  if (!read) return;
  const { buf, text } = read;
  const manifestLike = /^\s*(?:apiVersion|kind)\s*:/m.test(text);

  if (isKustomization(rel)) {
    out.skipped.push({ file: rel, reason: KUSTOMIZE_REASON(rel) });
    return;
  }

  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    version: '1.1',
    customTags: jsonTags,
    uniqueKeys: true,
    // Merge keys are applied by goYamlValue with kubectl's (go-yaml v2) semantics, not the spec's.
    merge: false,
  });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];

  const facts: KubernetesObject[] = [];
  let errors = 0;
  // Helm and Go templates are decided per document: a `{{ }}` in a comment, or a template in another
  // document of the file, does not hide this document's objects.
  const skip = (doc: Document.Parsed, reason: string) => {
    const line = lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    out.skipped.push({ file: rel, reason: list.length > 1 ? `document at line ${line}: ${reason}` : reason });
  };
  for (const doc of list) {
    const source = withoutComments(text.slice(doc.range[0], doc.range[2]));
    if (looksLikeHelmTemplate(source)) {
      skip(doc, HELM_TEMPLATE_REASON);
      continue;
    }
    if (doc.errors.length > 0 && hasTemplateBraces(source)) {
      skip(doc, GO_TEMPLATE_REASON);
      continue;
    }
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        errors++;
        if (errors > MAX_ERRORS_PER_FILE) continue;
        const pos = e.linePos?.[0];
        const what = e.code === 'DUPLICATE_KEY' ? 'Duplicate key' : 'YAML syntax error';
        diag(
          manifestLike ? 'error' : 'warning',
          'E_INPUT_PARSE',
          manifestLike
            ? `${what}: ${firstLine(e.message)}. This YAML document was not scanned (the file's other documents were). Fix the YAML and re-run.`
            : `${what}: ${firstLine(e.message)}. The file does not look like a Kubernetes manifest, so this is only a warning; if it holds Kubernetes objects, fix the YAML: this document was not scanned.`,
          pos?.line,
          pos?.col,
        );
      }
      continue;
    }
    const contents = doc.contents;
    if (!contents || !isMap(contents)) continue;
    // get() unwraps scalars to their values; its declared type is the node type.
    const kind: unknown = contents.get('kind');
    const apiVersion: unknown = contents.get('apiVersion');
    if (typeof kind !== 'string' || typeof apiVersion !== 'string') continue;
    if (isClientConfig(apiVersion, kind)) continue;

    let js: unknown;
    try {
      js = goYamlValue(doc, contents, MAX_ALIAS_COUNT);
    } catch (err) {
      const at = lines.linePos(contents.range?.[0] ?? 0);
      diag(
        'error',
        'E_INPUT_PARSE',
        err instanceof MergeValueError
          ? `YAML document could not be read: ${err.message} (kubectl rejects it too). It was not scanned; fix the merge key.`
          : `YAML document could not be read: ${err instanceof Error ? err.message : String(err)} (more than ${MAX_ALIAS_COUNT} aliases, or an alias cycle). It was not scanned; expand the aliases by hand.`,
        at.line,
        at.col,
      );
      continue;
    }
    if (!isPlainObject(js)) continue;
    for (const w of doc.warnings) {
      const pos = w.linePos?.[0];
      diag(
        'warning',
        'E_INPUT_PARSE',
        `${firstLine(w.message)}; the value was read as a plain string.`,
        pos?.line,
        pos?.col,
      );
    }

    if (Array.isArray(js.items) && (kind === 'List' || kind.endsWith('List'))) {
      const itemsNode = nodeAt(doc, contents as Node, ['items']);
      js.items.forEach((item, i) => {
        const itemNode = nodeAt(doc, itemsNode, [i]);
        if (!isPlainObject(item)) return;
        const obj = { ...item };
        if (typeof obj.kind !== 'string' && kind !== 'List') obj.kind = kind.slice(0, -'List'.length);
        if (typeof obj.apiVersion !== 'string' && kind !== 'List') obj.apiVersion = apiVersion;
        if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') {
          const at = nodeLocation(rel, itemNode, lines);
          diag(
            'warning',
            'E_INPUT_PARSE',
            `List item ${i} has no apiVersion/kind: it was not scanned. Add both fields to the item.`,
            at.line,
            at.column,
          );
          return;
        }
        facts.push(makeObject(rel, obj, doc, itemNode, lines, diag));
      });
      continue;
    }
    facts.push(makeObject(rel, js, doc, contents as Node, lines, diag));
  }
  if (errors > MAX_ERRORS_PER_FILE) {
    diag(
      manifestLike ? 'error' : 'warning',
      'E_INPUT_PARSE',
      `${errors - MAX_ERRORS_PER_FILE} more YAML errors in this file were not listed.`,
    );
  }

  if (facts.length > 0) {
    out.facts.push(...facts);
    out.inputs.push({
      file: rel,
      sha256: createHash('sha256').update(buf).digest('hex'),
      kind: 'kubernetes',
      bytes: buf.length,
    });
  }
}

type Diag = (
  severity: Diagnostic['severity'],
  code: Diagnostic['code'],
  message: string,
  line?: number,
  column?: number,
) => void;

function makeObject(
  file: string,
  manifest: Record<string, unknown>,
  doc: Document,
  base: Node,
  lines: LineCounter,
  diag: Diag,
): KubernetesObject {
  const objectKind = manifest.kind as string;
  const metadata = isPlainObject(manifest.metadata) ? manifest.metadata : {};
  const name =
    typeof metadata.name === 'string' && metadata.name !== ''
      ? metadata.name
      : typeof metadata.generateName === 'string' && metadata.generateName !== ''
        ? `${metadata.generateName}*`
        : '(unnamed)';
  const namespace =
    typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  const location = nodeLocation(file, base, lines);
  const obj: KubernetesObject = {
    kind: 'kubernetes',
    apiVersion: manifest.apiVersion as string,
    objectKind,
    name,
    address: `${objectKind}/${namespace ?? '~'}/${name}`,
    manifest,
    location,
    locate: (p: DocPath) => nodeLocation(file, nodeAt(doc, base, p), lines),
  };
  if (namespace !== undefined) obj.namespace = namespace;

  const specPath = POD_SPEC_PATHS[objectKind];
  if (specPath) {
    const spec = valueAt(manifest, specPath);
    if (isPlainObject(spec)) {
      obj.podSpec = { spec, path: specPath };
    } else if (spec !== undefined && spec !== null) {
      // The API server rejects a pod spec that is not an object: an input error, never a pass.
      const at = obj.locate(specPath);
      diag(
        'error',
        'E_INPUT_PARSE',
        `${obj.address}: ${specPath.join('.')} is ${Array.isArray(spec) ? 'a list' : `a ${typeof spec}`}, not an object; Kubernetes rejects this workload, and its pod-level checks cannot run. Fix the manifest.`,
        at.line,
        at.column,
      );
    } else {
      diag(
        'warning',
        'E_INPUT_PARSE',
        `${obj.address} has no pod spec at ${specPath.join('.')}: its pod-level checks cannot run. Add the missing spec.`,
        location.line,
        location.column,
      );
    }
  }
  return obj;
}

/** File names kustomize reads as a kustomization (kubectl kustomize, kustomize build). */
const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** True when `rel` is a kustomization file: an overlay whose output is not the files beside it. */
export function isKustomization(rel: string): boolean {
  return KUSTOMIZATION_NAMES.has(path.posix.basename(rel));
}

/**
 * The `skipped` reason of a kustomization: what it deploys (bases plus patches) is not any file as
 * written, so it is not evaluated; the notice names the command that renders it.
 */
export const KUSTOMIZE_REASON = (rel: string): string => {
  const dir = path.posix.dirname(rel);
  return `kustomize overlay: what it deploys is rendered from its bases and patches, not evaluated here; render it (kubectl kustomize ${dir === '.' ? '.' : dir} > rendered.yaml) and scan the output`;
};

/** The text without its YAML comments (lexer tokens): a `{{ }}` in a comment does not make a template. */
function withoutComments(text: string): string {
  if (!text.includes('#')) return text;
  let out = '';
  for (const token of new Lexer().lex(text)) if (!token.startsWith('#')) out += token;
  return out;
}

/** Client-side files that carry apiVersion/kind but are not cluster objects. */
function isClientConfig(apiVersion: string, kind: string): boolean {
  if (CLIENT_CONFIG_GROUPS.some((g) => apiVersion.startsWith(g))) return true;
  return kind === 'Config' && apiVersion === 'v1'; // kubeconfig
}

/** apiVersion prefixes of tool configuration files (kustomize, kind, skaffold). */
const CLIENT_CONFIG_GROUPS = ['kustomize.config.k8s.io/', 'kind.x-k8s.io/', 'skaffold/'];

function valueAt(value: unknown, p: DocPath): unknown {
  let v = value;
  for (const seg of p) {
    if (!isPlainObject(v)) return undefined;
    v = v[seg as string];
  }
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** First line of a `yaml` error message, without its ` at line L, column C:` suffix. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]$/, '');
}

/** `file` relative to `root`, POSIX; the base name when `file` is `root` itself. */
function relPosix(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return rel === '' ? path.basename(file) : rel;
}
