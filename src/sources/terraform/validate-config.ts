import { closest } from '../../control-map/suggest.js';
import type { Attribute, Block, Body, Expr, Pos } from './ast.js';

/**
 * Static checks of a Terraform configuration that Terraform itself makes before it plans, so that a
 * configuration Terraform refuses is never reported clean. Each check follows Terraform 1.11's
 * configuration loader (`internal/configs`: file schema, block label counts, identifier syntax,
 * reserved names, duplicate declarations, meta-argument conflicts); `summary` is Terraform's own
 * diagnostic summary, as `terraform validate` prints it (test/robustness records the command that
 * produced each one). Provider schemas are not known here, so arguments and nested blocks of
 * `resource`, `data` and `provider` bodies are not checked, only Terraform's own blocks.
 */

/** One problem Terraform would report, located at the offending block or argument. */
export interface ConfigProblem {
  /** File relative to the scan root, POSIX. */
  file: string;
  line: number;
  column: number;
  /** Terraform's diagnostic summary, e.g. `Duplicate resource "aws_s3_bucket" configuration`. */
  summary: string;
  /** Terraform's explanation (positions written `file:line`). */
  detail: string;
}

/** One parsed file of a module, as the checks need it. */
export interface ConfigFile {
  file: string;
  body: Body;
  /** `override.tf` / `*_override.tf`: merged into other blocks, so partial blocks are allowed. */
  override: boolean;
}

/** Terraform's identifier syntax (hclsyntax.ValidIdentifier). */
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const NAME_RULE =
  'A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.';

/** Top-level block types of a configuration file and their label names (configs.configFileSchema). */
const TOP_BLOCKS: Record<string, readonly string[]> = {
  terraform: [],
  required_providers: [],
  provider: ['name'],
  variable: ['name'],
  locals: [],
  output: ['name'],
  module: ['name'],
  resource: ['type', 'name'],
  data: ['type', 'name'],
  ephemeral: ['type', 'name'],
  moved: [],
  import: [],
  removed: [],
  check: ['name'],
};

/** Variable names Terraform reserves for module block arguments (configs.reservedVariableNames). */
const RESERVED_VARIABLE_NAMES = new Set([
  'count',
  'depends_on',
  'for_each',
  'lifecycle',
  'locals',
  'providers',
  'source',
  'version',
]);

/** Nested block types Terraform reserves inside `module` blocks. */
const RESERVED_MODULE_BLOCKS = new Set([
  'lifecycle',
  'locals',
  'provider',
  'provisioner',
  'connection',
  'dynamic',
  'count',
  'for_each',
  'depends_on',
  'source',
  'version',
  'providers',
]);

/** Schemas of Terraform's own blocks: allowed arguments (`*` any), required ones, nested block types. */
interface Schema {
  attrs: ReadonlySet<string> | '*';
  required?: readonly string[];
  blocks: Readonly<Record<string, Schema | 'any'>>;
}

const s = (
  attrs: string[] | '*',
  blocks: Record<string, Schema | 'any'> = {},
  required?: string[],
): Schema => ({
  attrs: attrs === '*' ? '*' : new Set(attrs),
  blocks,
  ...(required ? { required } : {}),
});

const CONDITION = s(['condition', 'error_message'], {}, ['condition', 'error_message']);

const SCHEMAS: Record<string, Schema> = {
  variable: s(['description', 'default', 'type', 'sensitive', 'nullable', 'ephemeral'], {
    validation: CONDITION,
  }),
  output: s(['description', 'value', 'sensitive', 'depends_on', 'ephemeral'], { precondition: CONDITION }, [
    'value',
  ]),
  locals: s('*'),
  terraform: s(['required_version', 'experiments', 'language'], {
    required_providers: s('*'),
    backend: 'any',
    cloud: 'any',
    provider_meta: 'any',
  }),
};

/** `lifecycle` inside resource and data blocks. */
const LIFECYCLE = s(['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by'], {
  precondition: CONDITION,
  postcondition: CONDITION,
});

/** Where Terraform points for label `i` of `b` (the label itself), or at the block when unknown. */
function labelAt(b: Block, i: number): Pos {
  return b.labelPos?.[i] ?? b.pos;
}

/** Where Terraform points for a missing label or argument: the opening brace. */
function braceAt(b: Block): Pos {
  return b.bracePos ?? b.pos;
}

/** Checks of one file on its own (see the module comment). */
export function checkConfigFile(f: ConfigFile): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const at = (pos: Pos, summary: string, detail: string) =>
    out.push({ file: pos.file ?? f.file, line: pos.line, column: pos.col, summary, detail });
  checkRedefined(f.body, f.file, at);
  for (const a of f.body.attributes)
    at(a.pos, 'Unsupported argument', `An argument named "${a.name}" is not expected here.`);
  for (const b of f.body.blocks) {
    const labels = TOP_BLOCKS[b.type];
    if (!labels) {
      const near = closest(b.type, Object.keys(TOP_BLOCKS), 1)[0];
      at(
        b.pos,
        'Unsupported block type',
        `Blocks of type "${b.type}" are not expected here.${near ? ` Did you mean "${near}"?` : ''}`,
      );
      continue;
    }
    if (!checkLabels(b, labels, at)) continue;
    const [l0, l1] = b.labels;
    switch (b.type) {
      case 'required_providers':
        at(
          b.pos,
          'Invalid required_providers block',
          'A "required_providers" block must be nested inside a "terraform" block.',
        );
        break;
      case 'variable':
        if (!VALID_NAME.test(l0 ?? '')) at(labelAt(b, 0), 'Invalid variable name', NAME_RULE);
        else if (RESERVED_VARIABLE_NAMES.has(l0 ?? ''))
          at(
            labelAt(b, 0),
            'Invalid variable name',
            `The variable name "${l0}" is reserved due to its special meaning inside module blocks.`,
          );
        checkSchema(b.body, SCHEMAS.variable as Schema, f.override, braceAt(b), at);
        {
          const type = b.body.attributes.find((a) => a.name === 'type');
          const problem = type ? typeProblem(type.expr, false) : undefined;
          if (type && problem) at(type.pos, problem[0], problem[1]);
        }
        break;
      case 'output':
        if (!VALID_NAME.test(l0 ?? '')) at(labelAt(b, 0), 'Invalid output name', NAME_RULE);
        checkSchema(b.body, SCHEMAS.output as Schema, f.override, braceAt(b), at);
        break;
      case 'module':
        if (!VALID_NAME.test(l0 ?? '')) at(labelAt(b, 0), 'Invalid module instance name', NAME_RULE);
        if (!f.override && !b.body.attributes.some((a) => a.name === 'source'))
          at(
            braceAt(b),
            'Missing required argument',
            'The argument "source" is required, but no definition was found.',
          );
        checkCountForEach(b.body, at);
        for (const nb of b.body.blocks) {
          if (RESERVED_MODULE_BLOCKS.has(nb.type))
            at(
              nb.pos,
              'Reserved block type name in module block',
              `The block type name "${nb.type}" is reserved for use by Terraform in a future version.`,
            );
          else at(nb.pos, 'Unsupported block type', `Blocks of type "${nb.type}" are not expected here.`);
        }
        break;
      case 'resource':
      case 'data':
      case 'ephemeral':
        if (!VALID_NAME.test(l0 ?? '')) at(labelAt(b, 0), 'Invalid resource type name', NAME_RULE);
        if (!VALID_NAME.test(l1 ?? '')) at(labelAt(b, 1), 'Invalid resource name', NAME_RULE);
        checkCountForEach(b.body, at);
        checkLifecycle(b.body, at, f.override);
        break;
      case 'provider': {
        const alias = literalString(b.body.attributes.find((a) => a.name === 'alias'));
        if (alias !== undefined && !VALID_NAME.test(alias))
          at(b.pos, 'Invalid provider configuration alias', `An alias must be a valid name. ${NAME_RULE}`);
        break;
      }
      case 'locals':
        for (const nb of b.body.blocks)
          at(nb.pos, `Unexpected "${nb.type}" block`, 'Blocks are not allowed here.');
        break;
      case 'terraform': {
        checkSchema(b.body, SCHEMAS.terraform as Schema, f.override, braceAt(b), at);
        const rp = b.body.blocks.filter((x) => x.type === 'required_providers');
        for (const extra of rp.slice(1))
          at(
            extra.pos,
            'Duplicate required providers configuration',
            `A module may have only one required providers configuration. The required providers were previously configured at ${where(f.file, rp[0]?.pos)}.`,
          );
        break;
      }
      case 'check':
        if (!VALID_NAME.test(l0 ?? '')) at(labelAt(b, 0), 'Invalid check block name', NAME_RULE);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Label count of a top-level block (hcl.BodySchema label checks); false when wrong (reported). */
function checkLabels(
  b: Block,
  names: readonly string[],
  at: (pos: Pos, summary: string, detail: string) => void,
): boolean {
  if (b.labels.length < names.length) {
    const missing = names[b.labels.length];
    at(
      braceAt(b),
      `Missing ${missing} for ${b.type}`,
      `All ${b.type} blocks must have ${names.length} labels (${names.join(', ')}).`,
    );
    return false;
  }
  if (b.labels.length > names.length) {
    at(
      labelAt(b, names.length),
      `Extraneous label for ${b.type}`,
      names.length === 0
        ? `No labels are expected for ${b.type} blocks.`
        : `Only ${names.length} labels (${names.join(', ')}) are expected for ${b.type} blocks.`,
    );
    return false;
  }
  return true;
}

/** Arguments and nested blocks of one of Terraform's own blocks against its schema, recursively. */
function checkSchema(
  body: Body,
  schema: Schema,
  override: boolean,
  blockPos: Pos,
  at: (pos: Pos, summary: string, detail: string) => void,
): void {
  if (schema.attrs !== '*') {
    for (const a of body.attributes) {
      if (!schema.attrs.has(a.name)) {
        const near = closest(a.name, schema.attrs, 1)[0];
        at(
          a.pos,
          'Unsupported argument',
          `An argument named "${a.name}" is not expected here.${near ? ` Did you mean "${near}"?` : ''}`,
        );
      }
    }
  }
  if (!override) {
    for (const r of schema.required ?? []) {
      if (!body.attributes.some((a) => a.name === r))
        at(
          blockPos,
          'Missing required argument',
          `The argument "${r}" is required, but no definition was found.`,
        );
    }
  }
  for (const nb of body.blocks) {
    const inner = schema.blocks[nb.type];
    if (!inner) at(nb.pos, 'Unsupported block type', `Blocks of type "${nb.type}" are not expected here.`);
    else if (inner !== 'any') checkSchema(nb.body, inner, override, braceAt(nb), at);
  }
}

function checkCountForEach(body: Body, at: (pos: Pos, summary: string, detail: string) => void): void {
  const count = body.attributes.find((a) => a.name === 'count');
  const each = body.attributes.find((a) => a.name === 'for_each');
  if (count && each) {
    const later = count.pos.line > each.pos.line ? count : each;
    at(
      later.pos,
      'Invalid combination of "count" and "for_each"',
      'The "count" and "for_each" meta-arguments are mutually-exclusive, only one should be used to be explicit about the number of resources to be created.',
    );
  }
}

function checkLifecycle(
  body: Body,
  at: (pos: Pos, summary: string, detail: string) => void,
  override: boolean,
): void {
  const blocks = body.blocks.filter((b) => b.type === 'lifecycle');
  for (const extra of blocks.slice(1))
    at(
      extra.pos,
      'Duplicate lifecycle block',
      `This resource already has a lifecycle block at line ${blocks[0]?.pos.line}.`,
    );
  for (const b of blocks) checkSchema(b.body, LIFECYCLE, override, braceAt(b), at);
}

/**
 * "Attribute redefined" (hclsyntax): an argument set twice in one body, in every body of the file
 * (nested blocks included). `dynamic` blocks' `content` bodies are bodies too.
 */
function checkRedefined(
  body: Body,
  file: string,
  at: (pos: Pos, summary: string, detail: string) => void,
): void {
  const seen = new Map<string, Attribute>();
  for (const a of body.attributes) {
    const first = seen.get(a.name);
    if (first)
      at(
        a.pos,
        'Attribute redefined',
        `The argument "${a.name}" was already set at ${where(file, first.pos)}. Each argument may be set only once.`,
      );
    else seen.set(a.name, a);
  }
  for (const b of body.blocks) checkRedefined(b.body, file, at);
}

/** Names of the arguments of `body` set more than once (the first definition of each is kept by the parser's consumers). */
export function redefinedNames(body: Body): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const a of body.attributes) (seen.has(a.name) ? twice : seen).add(a.name);
  return twice;
}

/**
 * Duplicate declarations across the files of one module (override files excluded: they merge into
 * the declarations they name): resources, data and ephemeral resources, variables, outputs, local
 * values, module calls, and provider configurations (default or by alias).
 */
export function checkDuplicates(files: readonly ConfigFile[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Map<string, { file: string; pos: Pos }>();
  const first = (key: string, file: string, pos: Pos): { file: string; pos: Pos } | undefined => {
    const had = seen.get(key);
    if (!had) seen.set(key, { file, pos });
    return had;
  };
  for (const f of files) {
    if (f.override) continue;
    const at = (pos: Pos, summary: string, detail: string) =>
      out.push({ file: f.file, line: pos.line, column: pos.col, summary, detail });
    for (const b of f.body.blocks) {
      const [l0, l1] = b.labels;
      switch (b.type) {
        case 'resource':
        case 'data':
        case 'ephemeral': {
          if (l0 === undefined || l1 === undefined || b.labels.length !== 2) break;
          const had = first(`${b.type}:${l0}.${l1}`, f.file, b.pos);
          if (!had) break;
          const kind = b.type === 'resource' ? 'resource' : `${b.type} resource`;
          at(
            b.pos,
            `Duplicate ${b.type} "${l0}" configuration`,
            `A ${l0} ${kind} named "${l1}" was already declared at ${where(had.file, had.pos)}. Resource names must be unique per type in each module.`,
          );
          break;
        }
        case 'variable':
        case 'output':
        case 'module': {
          if (l0 === undefined || b.labels.length !== 1) break;
          const had = first(`${b.type}:${l0}`, f.file, b.pos);
          if (!had) break;
          const [summary, detail] =
            b.type === 'variable'
              ? [
                  'Duplicate variable declaration',
                  `A variable named "${l0}" was already declared at ${where(had.file, had.pos)}. Variable names must be unique within a module.`,
                ]
              : b.type === 'output'
                ? [
                    'Duplicate output definition',
                    `An output named "${l0}" was already defined at ${where(had.file, had.pos)}. Output names must be unique within a module.`,
                  ]
                : [
                    'Duplicate module call',
                    `A module call named "${l0}" was already defined at ${where(had.file, had.pos)}. Module calls must have unique names within a module.`,
                  ];
          at(b.pos, summary, detail);
          break;
        }
        case 'locals':
          for (const a of b.body.attributes) {
            const had = first(`local:${a.name}`, f.file, a.pos);
            if (had && had.pos !== a.pos && !(had.file === f.file && sameBlock(b, had.pos)))
              at(
                a.pos,
                'Duplicate local value definition',
                `A local value named "${a.name}" was already defined at ${where(had.file, had.pos)}. Local value names must be unique within a module.`,
              );
          }
          break;
        case 'provider': {
          if (l0 === undefined || b.labels.length !== 1) break;
          const alias = literalString(b.body.attributes.find((a) => a.name === 'alias'));
          const had = first(`provider:${l0}.${alias ?? ''}`, f.file, b.pos);
          if (!had) break;
          at(
            b.pos,
            'Duplicate provider configuration',
            alias === undefined
              ? `A default (non-aliased) provider configuration for "${l0}" was already given at ${where(had.file, had.pos)}. If multiple configurations are required, set the "alias" argument for alternative configurations.`
              : `A provider configuration for "${l0}" with alias "${alias}" was already given at ${where(had.file, had.pos)}. Each configuration for the same provider must have a distinct alias.`,
          );
          break;
        }
        default:
          break;
      }
    }
  }
  return out;
}

/** True when `pos` is the position of an argument of `b` (a local set twice in one block is "Attribute redefined"). */
function sameBlock(b: Block, pos: Pos): boolean {
  return b.body.attributes.some((a) => a.pos === pos);
}

/**
 * Checks of a variable definitions file (`.tfvars`, loaded by `terraform plan`): only arguments, no
 * blocks ("Unexpected "locals" block"), each set once ("Attribute redefined").
 */
export function checkVarsFile(file: string, body: Body): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const at = (pos: Pos, summary: string, detail: string) =>
    out.push({ file, line: pos.line, column: pos.col, summary, detail });
  for (const b of body.blocks) at(b.pos, `Unexpected "${b.type}" block`, 'Blocks are not allowed here.');
  checkRedefined({ attributes: body.attributes, blocks: [] }, file, at);
  return out;
}

const PRIMITIVE_TYPES = new Set(['string', 'number', 'bool', 'any']);
const COLLECTION_TYPES = new Set(['list', 'map', 'set']);

/**
 * What Terraform says about a type constraint (`variable { type = ... }`, typeexpr.TypeConstraint),
 * or undefined when it is one: a primitive keyword, list/map/set(T), object({ name = T or
 * optional(T[, default]) }), tuple([T, ...]). A quoted type is Terraform 0.11 syntax, refused since.
 */
function typeProblem(e: Expr, inObjectAttr: boolean): [string, string] | undefined {
  const invalid = (detail: string): [string, string] => ['Invalid type specification', detail];
  if (e.k === 'lit' && typeof e.v === 'string') {
    const collection = COLLECTION_TYPES.has(e.v);
    return [
      'Invalid quoted type constraints',
      `Terraform 0.11 and earlier required type constraints to be given in quotes, but that form is now deprecated and will be removed in a future version of Terraform. Remove the quotes around "${e.v}"${
        collection
          ? ` and write ${e.v}(string) instead to explicitly indicate that the ${e.v} elements are strings`
          : ''
      }.`,
    ];
  }
  if (e.k === 'var') {
    return PRIMITIVE_TYPES.has(e.name)
      ? undefined
      : invalid(`The keyword "${e.name}" is not a valid type specification.`);
  }
  if (e.k === 'call') {
    if (COLLECTION_TYPES.has(e.name)) {
      const [arg, extra] = e.args;
      if (!arg || extra)
        return invalid(`The ${e.name} type constructor requires one argument specifying the element type.`);
      return typeProblem(arg, false);
    }
    if (e.name === 'object') {
      const [arg, extra] = e.args;
      if (!arg || extra || arg.k !== 'object')
        return invalid(
          'The object type constructor requires one argument specifying the attribute types as a map.',
        );
      for (const it of arg.items) {
        const p = typeProblem(it.val, true);
        if (p) return p;
      }
      return undefined;
    }
    if (e.name === 'tuple') {
      const [arg, extra] = e.args;
      if (!arg || extra || arg.k !== 'tuple')
        return invalid(
          'The tuple type constructor requires one argument specifying the element types as a list.',
        );
      for (const it of arg.items) {
        const p = typeProblem(it, false);
        if (p) return p;
      }
      return undefined;
    }
    if (e.name === 'optional') {
      if (!inObjectAttr)
        return invalid('Keyword "optional" is valid only as a modifier for object type attributes.');
      const [arg] = e.args;
      return arg
        ? typeProblem(arg, false)
        : invalid('The optional modifier requires the attribute type as its first argument.');
    }
    return invalid(`Keyword "${e.name}" is not a valid type constructor.`);
  }
  return invalid(
    'A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).',
  );
}

function literalString(a: Attribute | undefined): string | undefined {
  return a && a.expr.k === 'lit' && typeof a.expr.v === 'string' ? a.expr.v : undefined;
}

/** `main.tf:3`, for details that point at an earlier definition. */
function where(file: string, pos: Pos | undefined): string {
  return `${pos?.file ?? file}:${pos?.line ?? 1}`;
}

/** Arguments of a `module` block that are meta-arguments, not input variables of the module. */
const MODULE_META_ARGS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/**
 * A module call's arguments against the called module's variables (Terraform checks them once the
 * module is installed, as `terraform validate` does for local modules): an argument the module does
 * not declare is "Unsupported argument"; a variable without a `default` that the call does not set
 * is "Missing required argument" (a root module's unset variable is not an error: its value is
 * unknown until plan).
 */
export function checkModuleArguments(
  call: Block,
  child: { variables: ReadonlyMap<string, { block: Block }> },
): { pos: Pos; summary: string; detail: string }[] {
  const out: { pos: Pos; summary: string; detail: string }[] = [];
  const given = new Set<string>();
  for (const a of call.body.attributes) {
    if (MODULE_META_ARGS.has(a.name)) continue;
    given.add(a.name);
    if (!child.variables.has(a.name)) {
      const near = closest(a.name, child.variables.keys(), 1)[0];
      out.push({
        pos: a.pos,
        summary: 'Unsupported argument',
        detail: `An argument named "${a.name}" is not expected here.${near ? ` Did you mean "${near}"?` : ''}`,
      });
    }
  }
  for (const [name, v] of child.variables) {
    if (given.has(name) || v.block.body.attributes.some((a) => a.name === 'default')) continue;
    out.push({
      pos: braceAt(call),
      summary: 'Missing required argument',
      detail: `The argument "${name}" is required, but no definition was found.`,
    });
  }
  return out;
}
