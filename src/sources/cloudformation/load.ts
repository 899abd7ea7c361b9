import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../core/errors.js';
import type { CloudFormationResource } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';
import type { SourceResult } from '../../core/source-result.js';
import { diagnosticSink, readTextInput } from '../read-text-input.js';
import { decodeUtf8Strict, parseTemplate } from './parse.js';
import type { TemplateScope } from './scope.js';
import { readTemplate } from './template.js';

/** Templates larger than this many bytes are not read (`E_INPUT_TOO_LARGE`); CloudFormation's own limit is 1 MB. */
export const MAX_TEMPLATE_BYTES = 20 * 1024 * 1024;

/** How many files are read ahead of the one being evaluated. */
const READ_AHEAD = 8;

/** Options of {@link loadCloudFormation}. */
export interface CloudFormationOptions {
  /** Parameter and pseudo parameter values (`--parameter NAME=VALUE`), applied to every template declaring them. */
  parameters?: Readonly<Record<string, string>>;
}

/** What {@link loadCloudFormation} returns besides the SourceResult fields. */
export interface CloudFormationResult extends SourceResult<CloudFormationResource> {
  /** Templates read (parsed), and resources not created because their condition is false. */
  stats: { templates: number; notCreated: number };
}

/**
 * Loads CloudFormation templates (`files`: absolute paths under `root`): strict UTF-8, YAML 1.1 with
 * short-form tags or JSON, every resource evaluated (src/sources/cloudformation/template.ts). Never
 * throws for bad input: unreadable, binary, oversized and malformed files, and templates
 * CloudFormation would reject, become diagnostics with file, line and column. Every template read
 * is listed in `inputs` (kind `cloudformation`). Nested stacks: a local child template that does
 * not exist is a warning; a remote one (S3/HTTPS URL, Serverless Application Repository) is listed in
 * `skipped` as not evaluated (file: the URL), and so is one whose location is not known statically
 * (file: the parent template).
 */
export async function loadCloudFormation(
  root: string,
  files: readonly string[],
  opts: CloudFormationOptions = {},
): Promise<CloudFormationResult> {
  const absRoot = path.resolve(root);
  const result: CloudFormationResult = {
    facts: [],
    inputs: [],
    skipped: [],
    diagnostics: [],
    stats: { templates: 0, notCreated: 0 },
  };
  const reads: (Promise<Read> | undefined)[] = new Array(files.length);
  const start = (i: number) => {
    if (i < files.length) reads[i] = readOne(absRoot, path.resolve(absRoot, files[i]!));
  };
  for (let i = 0; i < READ_AHEAD; i++) start(i);
  for (let i = 0; i < files.length; i++) {
    const read = await reads[i]!;
    reads[i] = undefined;
    start(i + READ_AHEAD);
    try {
      loadOne(absRoot, read, opts, result);
    } catch (err) {
      // A template that defeats the parser or evaluator (nesting deep enough to exhaust the stack) is
      // reported, not fatal: the other templates are still read.
      result.diagnostics.push({
        severity: 'error',
        code: 'E_INPUT_PARSE',
        file: read.rel,
        message: `Template could not be read: ${err instanceof Error ? err.message : String(err)}. It was not scanned; simplify it (deep nesting?) or exclude it.`,
      });
    }
  }
  return result;
}

interface Read {
  rel: string;
  buf?: Buffer;
  diagnostics: Diagnostic[];
}

async function readOne(root: string, file: string): Promise<Read> {
  const rel = relPosix(root, file);
  const diagnostics: Diagnostic[] = [];
  try {
    const r = await readTextInput(
      file,
      MAX_TEMPLATE_BYTES,
      {
        tooLarge: (bytes, max) =>
          `Template is ${bytes} bytes, over the ${max}-byte limit: not scanned, so its resources have no findings.`,
        unreadable: (code) => `Cannot read template: ${code}. Its resources were not scanned.`,
        binary: 'File is binary (NUL bytes), not a template: not scanned.',
        notText: () =>
          'The template was not scanned, so its resources have no findings (CloudFormation refuses it too). Re-save it as UTF-8 without control characters.',
      },
      diagnosticSink(rel, diagnostics),
      { syntax: /\.json$/i.test(file) ? 'json' : 'yaml', root },
    );
    return { rel, buf: r?.buf, diagnostics };
  } catch (err) {
    diagnostics.push({
      severity: 'error',
      code: 'E_IO',
      file: rel,
      message: `Cannot read template: ${err instanceof Error ? err.message : String(err)}. Its resources were not scanned.`,
    });
    return { rel, diagnostics };
  }
}

function loadOne(root: string, read: Read, opts: CloudFormationOptions, out: CloudFormationResult): void {
  const { rel, buf } = read;
  out.diagnostics.push(...read.diagnostics);
  if (!buf) return;
  const diag = diagnosticSink(rel, out.diagnostics);
  const decoded = decodeUtf8Strict(buf);
  if ('invalidAt' in decoded) {
    const at = decoded.invalidAt;
    diag(
      'error',
      'E_INPUT_PARSE',
      `Invalid UTF-8 at byte ${at.byte}: CloudFormation templates are UTF-8. The template was not scanned; re-save it as UTF-8.`,
      at.line,
      at.col,
    );
    return;
  }
  const parsed = parseTemplate(rel, decoded.text, diag);
  if (!parsed) return;

  const seen = new Set<string>();
  const scope: TemplateScope = {
    file: rel,
    parameters: new Map(),
    mappings: new Map(),
    conditions: new Map(),
    resources: new Set(),
    generated: false,
    overrides: opts.parameters ?? {},
    diag(severity, message, loc?: SourceLocation, code = 'E_INPUT_PARSE') {
      const key = `${severity}|${message}|${loc?.line ?? ''}|${loc?.column ?? ''}`;
      if (seen.has(key)) return;
      seen.add(key);
      diag(severity, code, message, loc?.line, loc?.column);
    },
  };
  const t = readTemplate(parsed.root, scope, parsed.format);
  out.stats.templates++;
  out.stats.notCreated += t.notCreated.length;
  out.inputs.push({
    file: rel,
    sha256: createHash('sha256').update(buf).digest('hex'),
    kind: 'cloudformation',
    bytes: buf.length,
  });
  for (const r of t.resources) {
    const n = r.nestedStack;
    if (n?.local !== undefined) {
      n.exists = existsSync(path.join(root, n.local));
      if (!n.exists)
        scope.diag(
          'warning',
          `Nested stack ${r.logicalId}: its template ${n.local} was not found, so its resources are not scanned.`,
          r.location,
          'E_IO',
        );
      else if (n.local.startsWith('../'))
        scope.diag(
          'info',
          `Nested stack ${r.logicalId}: its template ${n.local} is outside the scan root and is not scanned.`,
          r.location,
          'E_INPUT_UNSUPPORTED',
        );
    } else if (n?.unresolved !== undefined) {
      out.skipped.push({
        file: rel,
        reason: `template of nested stack ${r.logicalId} (${r.type}) is not known statically (${n.unresolved.reason}): not evaluated`,
      });
    } else if (n?.url !== undefined) {
      out.skipped.push({
        file: n.url,
        reason: `template of nested stack ${r.logicalId} in ${rel} (${r.type}): a remote template, not evaluated`,
      });
    }
  }
  out.facts.push(...t.resources);
}

/** `file` relative to `root`, POSIX; the base name when `file` is `root` itself. */
function relPosix(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return rel === '' ? path.basename(file) : rel;
}
