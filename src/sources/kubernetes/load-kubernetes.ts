import { createHash } from 'node:crypto';
import path from 'node:path';
import { type Document, isMap, isScalar, Lexer, LineCounter, type Node, type Tags } from 'yaml';
import type { Diagnostic } from '../../core/errors.js';
import type { DocPath, KubernetesObject } from '../../core/facts.js';
import { DEFAULT_LIMITS, limitHint, type ScanLimits } from '../../core/limits.js';
import type { SourceResult } from '../../core/source-result.js';
import { diagnosticSink, readTextInput } from '../read-text-input.js';
import { parseYamlBounded, type YamlBoundHit } from '../yaml-bounded.js';
import { goYamlValue, MergeValueError } from './go-yaml-value.js';
import {
  GO_TEMPLATE_REASON,
  HELM_TEMPLATE_REASON,
  hasTemplateBraces,
  looksLikeHelmTemplate,
} from './helm-template.js';
import { buildKubernetesObject, isPlainObject } from './object.js';
import { kindProblem, kindStatus, metadataProblem } from './object-shape.js';
import { nodeAt, nodeLocation } from './yaml-locator.js';

/** YAML files larger than this many bytes are not read (`E_INPUT_TOO_LARGE`); `--limit yaml-file-bytes` changes it. */
export const MAX_YAML_BYTES = DEFAULT_LIMITS['yaml-file-bytes'];

/** Most aliases one document may expand (the `yaml` package's billion-laughs guard). */
export const MAX_ALIAS_COUNT = 100;

/** At most this many YAML errors are reported per file; the rest are summarised. */
const MAX_ERRORS_PER_FILE = 20;

export { POD_SPEC_PATHS } from './object.js';

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
export async function loadKubernetes(
  root: string,
  files: string[],
  opts: KubernetesLoadOptions = {},
): Promise<SourceResult<KubernetesObject>> {
  const result: SourceResult<KubernetesObject> = { facts: [], inputs: [], skipped: [], diagnostics: [] };
  const absRoot = path.resolve(root);
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const budget: YamlBudget = { nodesLeft: limits['yaml-nodes'], limits };
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
    pending[i] = readFileInput(absRoot, file, limits['yaml-file-bytes']).catch((err: unknown) => ({
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
    loadFile(read, result, budget);
  }
  return result;
}

/** Options of {@link loadKubernetes}. */
export interface KubernetesLoadOptions {
  /** `yaml-file-bytes`, `yaml-nodes` (shared by every file of the call), `nesting-depth`, `yaml-expanded-bytes`. */
  limits?: Partial<
    Pick<ScanLimits, 'yaml-file-bytes' | 'yaml-nodes' | 'nesting-depth' | 'yaml-expanded-bytes'>
  >;
}

/** The YAML limits of one call and what is left of its node budget. */
interface YamlBudget {
  nodesLeft: number;
  limits: Pick<ScanLimits, 'yaml-nodes' | 'nesting-depth' | 'yaml-expanded-bytes'>;
}

/** How many files are read ahead of the file being parsed. */
const READ_AHEAD = 8;

/** One file as read: its POSIX path relative to the root, its bytes and text (absent when unreadable), and the read's diagnostics. */
interface FileRead {
  rel: string;
  read: { buf: Buffer; text: string } | undefined;
  diagnostics: Diagnostic[];
}

async function readFileInput(root: string, file: string, maxBytes: number): Promise<FileRead> {
  const rel = relPosix(root, file);
  const diagnostics: Diagnostic[] = [];
  const read = await readTextInput(
    file,
    maxBytes,
    {
      tooLarge: (bytes, max) =>
        `YAML file is ${bytes} bytes, over the ${max}-byte limit: not scanned, so any Kubernetes objects in it have no findings. Split it, exclude it if it is not a manifest, or raise the limit: ${limitHint('yaml-file-bytes', max)}.`,
      unreadable: (code) => `Cannot read YAML file: ${code}. Any Kubernetes objects in it were not scanned.`,
      binary:
        'File is binary (NUL bytes), not YAML: not scanned. Exclude it, or re-save it as UTF-8 text if it is a manifest.',
      notText: (severity) =>
        severity === 'error'
          ? 'The file was not scanned, so any Kubernetes objects in it have no findings (kubectl refuses it too). Re-save it as UTF-8 without control characters.'
          : 'The file does not look like a Kubernetes manifest, so this is only a warning; if it holds Kubernetes objects, re-save it as UTF-8: it was not scanned.',
    },
    diagnosticSink(rel, diagnostics),
    { syntax: 'yaml', notTextSeverity: (text) => (looksLikeManifest(text) ? 'error' : 'warning'), root },
  );
  return { rel, read, diagnostics };
}

function loadFile(input: FileRead, out: SourceResult<KubernetesObject>, budget: YamlBudget): void {
  const { rel, read } = input;
  out.diagnostics.push(...input.diagnostics);
  const diag = diagnosticSink(rel, out.diagnostics);
  if (!read) return;
  const { buf, text } = read;
  const manifestLike = looksLikeManifest(text);

  if (isKustomization(rel)) {
    out.skipped.push({ file: rel, reason: KUSTOMIZE_REASON(rel) });
    return;
  }

  const lines = new LineCounter();
  const parsed = parseYamlBounded(
    text,
    {
      lineCounter: lines,
      version: '1.1',
      customTags: jsonTags,
      uniqueKeys: true,
      // Merge keys are applied by goYamlValue with kubectl's (go-yaml v2) semantics, not the spec's.
      merge: false,
    },
    {
      maxNodes: budget.nodesLeft,
      maxDepth: budget.limits['nesting-depth'],
      maxExpandedBytes: budget.limits['yaml-expanded-bytes'],
    },
  );
  if ('hit' in parsed) {
    const { hit } = parsed;
    if (hit.bound === 'nodes') budget.nodesLeft = 0;
    const severity = manifestLike ? 'error' : 'warning';
    diag(
      severity,
      hit.bound === 'alias-cycle' ? 'E_INPUT_PARSE' : 'E_INPUT_TOO_LARGE',
      `${hit.bound === 'alias-cycle' ? 'YAML error' : 'YAML limit reached'}: ${
        hit.bound === 'nodes'
          ? `this file takes the scan past ${budget.limits['yaml-nodes']} YAML nodes`
          : hit.what
      }. The file was not scanned${
        severity === 'error'
          ? ''
          : ' (it does not look like a Kubernetes manifest, so this is only a warning)'
      }. ${yamlBoundAdvice(hit, budget)}`,
      hit.line,
      hit.column,
    );
    return;
  }
  budget.nodesLeft -= parsed.nodes;
  const list: Document.Parsed[] = parsed.docs;

  const facts: KubernetesObject[] = [];
  /** Objects of kinds Kubernetes does not serve, once per apiVersion and kind (the first one located). */
  const kindNotes = new Map<string, KindNote>();
  /** Offsets of documents that are not objects (no kind and apiVersion, or not a map). */
  const notObjects: number[] = [];
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
    if (!contents || (isScalar(contents) && contents.value === null)) continue; // an empty document
    if (!isMap(contents)) {
      notObjects.push(contents.range?.[0] ?? 0);
      continue;
    }
    // get() unwraps scalars to their values; its declared type is the node type.
    const kind: unknown = contents.get('kind');
    const apiVersion: unknown = contents.get('apiVersion');
    if (!contents.has('kind') && !contents.has('apiVersion')) {
      notObjects.push(contents.range?.[0] ?? 0); // not a Kubernetes document (an error in a manifest file)
      continue;
    }
    const shape = kindProblem(apiVersion, kind);
    if (shape) {
      // A document that declares a kind or an API version but that kubectl cannot decode. Other tools'
      // YAML with one of the keys (Helm's Chart.yaml has apiVersion only) stays out unless it also
      // has the `metadata` map of an object.
      const objectLike = contents.has('kind')
        ? contents.has('apiVersion') || isMap(contents.get('metadata', true))
        : isMap(contents.get('metadata', true));
      if (!objectLike) continue;
      const at = lines.linePos(contents.range?.[0] ?? 0);
      diag(
        contents.has('apiVersion') ? 'error' : 'warning',
        'E_INPUT_PARSE',
        `${shape}. This document was not scanned${contents.has('apiVersion') ? '' : ' (it has no apiVersion, so the API server would refuse it too)'}; give it a string apiVersion and kind.`,
        at.line,
        at.col,
      );
      continue;
    }
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
        const itemShape = kindProblem(obj.apiVersion, obj.kind);
        if (itemShape) {
          const at = nodeLocation(rel, itemNode, lines);
          diag(
            'error',
            'E_INPUT_PARSE',
            `List item ${i}: ${itemShape}. It was not scanned; add a string apiVersion and kind to the item.`,
            at.line,
            at.column,
          );
          return;
        }
        if (rejectMetadata(obj, rel, itemNode, lines, diag)) return;
        facts.push(makeObject(rel, obj, doc, itemNode, lines, diag));
        noteKind(obj, rel, itemNode, lines, kindNotes);
      });
      continue;
    }
    if (rejectMetadata(js, rel, contents as Node, lines, diag)) continue;
    facts.push(makeObject(rel, js, doc, contents as Node, lines, diag));
    noteKind(js, rel, contents as Node, lines, kindNotes);
  }
  if (facts.length > 0) {
    // kubectl applies every document of a manifest file as an object and refuses the file when one
    // is not ("Object 'Kind' is missing"); in a file with no object at all, such documents are some
    // other tool's YAML and are left alone.
    for (const offset of notObjects) {
      const at = lines.linePos(offset);
      diag(
        'error',
        'E_INPUT_PARSE',
        "Object 'Kind' is missing: this document of a file of Kubernetes objects is not an object (no apiVersion and kind), so kubectl refuses the file; it was not scanned. Remove it or move it to its own file.",
        at.line,
        at.col,
      );
    }
  }
  for (const note of kindNotes.values()) {
    diag(
      note.builtinGroup ? 'warning' : 'info',
      'E_INPUT_UNSUPPORTED',
      note.builtinGroup
        ? `${note.count} object(s) of kind ${note.kind} in ${note.apiVersion}, which Kubernetes does not serve (a typo, or an API removed long ago: the API server refuses it); no check evaluates them. Fix the kind.`
        : `${note.count} object(s) of kind ${note.kind} (${note.apiVersion}), a custom resource: no built-in check evaluates it.`,
      note.line,
      note.column,
    );
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
  const { object, problem } = buildKubernetesObject(manifest, nodeLocation(file, base, lines), (p: DocPath) =>
    nodeLocation(file, nodeAt(doc, base, p), lines),
  );
  if (problem)
    diag(problem.severity, 'E_INPUT_PARSE', problem.message, problem.location.line, problem.location.column);
  return object;
}

/** What to do about a YAML bound that was hit, naming the limit to raise. */
function yamlBoundAdvice(hit: YamlBoundHit, budget: YamlBudget): string {
  switch (hit.bound) {
    case 'nodes':
      return `The scan's YAML node budget is shared by every YAML file: split or exclude large generated files, or raise it: ${limitHint('yaml-nodes', budget.limits['yaml-nodes'])}.`;
    case 'depth':
      return `Raise it only for genuine input: ${limitHint('nesting-depth', budget.limits['nesting-depth'])}.`;
    case 'expanded':
      return `Aliases multiply their anchors (a "billion laughs" document); expand them by hand, or ${limitHint('yaml-expanded-bytes', budget.limits['yaml-expanded-bytes'])}.`;
    case 'alias-cycle':
      return 'Remove the alias from inside its own anchor (kubectl refuses it too).';
  }
}

/**
 * True when a YAML text has an `apiVersion` or `kind` key, in block style (`kind: Pod` at the start
 * of a line), flow style or JSON (`{"kind": "Pod", ...}`): errors in other YAML files are only warnings.
 */
function looksLikeManifest(text: string): boolean {
  return /^\s*(?:apiVersion|kind)\s*:/m.test(text) || /[{,]\s*["']?(?:apiVersion|kind)["']?\s*:/.test(text);
}

/** Objects of one apiVersion and kind that Kubernetes does not serve, counted per file. */
interface KindNote {
  apiVersion: string;
  kind: string;
  builtinGroup: boolean;
  count: number;
  line: number;
  column?: number;
}

/** Counts an object whose kind Kubernetes does not serve (object-shape.ts `kindStatus`). */
function noteKind(
  manifest: Record<string, unknown>,
  file: string,
  node: Node,
  lines: LineCounter,
  notes: Map<string, KindNote>,
): void {
  const apiVersion = manifest.apiVersion as string;
  const kind = manifest.kind as string;
  const status = kindStatus(apiVersion, kind);
  if (status === 'builtin') return;
  const key = `${apiVersion}|${kind}`;
  const had = notes.get(key);
  if (had) {
    had.count++;
    return;
  }
  const at = nodeLocation(file, node, lines);
  notes.set(key, {
    apiVersion,
    kind,
    builtinGroup: status !== 'custom',
    count: 1,
    line: at.line,
    column: at.column,
  });
}

/** Reports (error) and returns true when the object's metadata is not what kubectl decodes as ObjectMeta. */
function rejectMetadata(
  manifest: Record<string, unknown>,
  file: string,
  node: Node,
  lines: LineCounter,
  diag: Diag,
): boolean {
  const problem = metadataProblem(manifest);
  if (!problem) return false;
  const at = nodeLocation(file, node, lines);
  diag(
    'error',
    'E_INPUT_PARSE',
    `${problem}: kubectl cannot decode this ${String(manifest.kind)}, so it was not scanned. Fix its metadata.`,
    at.line,
    at.column,
  );
  return true;
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

/** First line of a `yaml` error message, without its ` at line L, column C:` suffix. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]$/, '');
}

/** `file` relative to `root`, POSIX; the base name when `file` is `root` itself. */
function relPosix(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return rel === '' ? path.basename(file) : rel;
}
