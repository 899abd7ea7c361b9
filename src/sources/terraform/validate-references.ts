import type { Attribute, Block, Body, Expr, Step, TplPart } from './ast.js';
import type { ConfigFile, ConfigProblem } from './validate-config.js';

/**
 * The references and function calls `terraform validate` checks statically, whatever the values:
 * `var.X`, `local.X`, `module.X`, `data.T.N`, `T.N` (managed resources) must be declared in the
 * module; `count.*` only where `count` is set, `each.*` only where `for_each` is set, `self.*` only in
 * provisioner, connection and postcondition blocks; `path.*` and `terraform.*` have fixed
 * attributes; a called function must exist (Terraform 1.11's built-ins from `terraform metadata
 * functions -json`; `provider::` functions are left to the provider). Summaries are Terraform's own.
 * Positions are those of the argument holding the expression (expressions carry no positions).
 */

/** Built-in functions of Terraform 1.11 (`terraform metadata functions -json`, without the `core::` aliases). */
export const TERRAFORM_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    'abs abspath alltrue anytrue base64decode base64encode base64gzip base64sha256 base64sha512 basename ' +
    'bcrypt can ceil chomp chunklist cidrhost cidrnetmask cidrsubnet cidrsubnets coalesce coalescelist ' +
    'compact concat contains csvdecode dirname distinct element endswith ephemeralasnull file filebase64 ' +
    'filebase64sha256 filebase64sha512 fileexists filemd5 fileset filesha1 filesha256 filesha512 flatten ' +
    'floor format formatdate formatlist indent index issensitive join jsondecode jsonencode keys length log ' +
    'lookup lower matchkeys max md5 merge min nonsensitive one parseint pathexpand plantimestamp pow range ' +
    'regex regexall replace reverse rsadecrypt sensitive setintersection setproduct setsubtract setunion ' +
    'sha1 sha256 sha512 signum slice sort split startswith strcontains strrev substr sum templatefile ' +
    'templatestring textdecodebase64 textencodebase64 timeadd timecmp timestamp title tobool tolist tomap ' +
    'tonumber toset tostring transpose trim trimprefix trimspace trimsuffix try upper urlencode uuid uuidv5 ' +
    'values yamldecode yamlencode zipmap'
  ).split(' '),
);

/** Root names that are not resource types. */
const SPECIAL_ROOTS = new Set([
  'var',
  'local',
  'module',
  'data',
  'ephemeral',
  'path',
  'terraform',
  'count',
  'each',
  'self',
]);
const PATH_ATTRS = new Set(['module', 'root', 'cwd']);
const TERRAFORM_ATTRS = new Set(['workspace', 'applying']);

/** What a module declares, for reference checks. */
export interface Declarations {
  variables: ReadonlySet<string>;
  locals: ReadonlySet<string>;
  modules: ReadonlySet<string>;
  /** `type.name` of managed resources. */
  resources: ReadonlySet<string>;
  /** `type.name` of data sources. */
  data: ReadonlySet<string>;
  /** `type.name` of ephemeral resources. */
  ephemeral: ReadonlySet<string>;
}

/** Where an expression is: what `count`, `each`, `self` may refer to, and the names bound by for expressions and iterators. */
interface Context {
  file: string;
  attr: Attribute;
  count: boolean;
  each: boolean;
  self: boolean;
  bound: ReadonlySet<string>;
}

/** Declarations of the (non-override and override) files of one module. */
export function declarationsOf(files: readonly ConfigFile[]): Declarations {
  const d = {
    variables: new Set<string>(),
    locals: new Set<string>(),
    modules: new Set<string>(),
    resources: new Set<string>(),
    data: new Set<string>(),
    ephemeral: new Set<string>(),
  };
  for (const f of files) {
    for (const b of f.body.blocks) {
      const [l0, l1] = b.labels;
      if (b.type === 'variable' && l0 !== undefined) d.variables.add(l0);
      else if (b.type === 'module' && l0 !== undefined) d.modules.add(l0);
      else if (b.type === 'locals') for (const a of b.body.attributes) d.locals.add(a.name);
      else if (l0 !== undefined && l1 !== undefined) {
        if (b.type === 'resource') d.resources.add(`${l0}.${l1}`);
        else if (b.type === 'data') d.data.add(`${l0}.${l1}`);
        else if (b.type === 'ephemeral') d.ephemeral.add(`${l0}.${l1}`);
      }
    }
  }
  return d;
}

/** Reference and function-call problems in every expression of `files` (one module). `where` names the module in messages. */
export function checkReferences(
  files: readonly ConfigFile[],
  decl: Declarations,
  where: string,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const checker = new Checker(decl, where, out);
  for (const f of files) {
    for (const b of f.body.blocks) {
      const base = { file: f.file, count: false, each: false, self: false, bound: new Set<string>() };
      switch (b.type) {
        case 'resource':
        case 'data':
        case 'ephemeral': {
          const count = b.body.attributes.some((a) => a.name === 'count');
          const each = b.body.attributes.some((a) => a.name === 'for_each');
          checker.resourceBody(b.body, { ...base, count, each });
          break;
        }
        case 'module': {
          const count = b.body.attributes.some((a) => a.name === 'count');
          const each = b.body.attributes.some((a) => a.name === 'for_each');
          for (const a of b.body.attributes) {
            if (a.name === 'source' || a.name === 'version' || a.name === 'providers') continue;
            checker.attr(a, { ...base, count, each });
          }
          break;
        }
        case 'locals':
          for (const a of b.body.attributes) checker.attr(a, base);
          break;
        case 'output':
          checker.body(b.body, base, (blk) => blk.type === 'precondition');
          break;
        case 'provider':
          for (const a of b.body.attributes) if (a.name !== 'alias') checker.attr(a, base);
          checker.body({ attributes: [], blocks: b.body.blocks }, base);
          break;
        case 'variable':
          for (const v of b.body.blocks) if (v.type === 'validation') checker.body(v.body, base);
          break;
        default:
          // terraform, moved, import, removed (addresses, not references), check (scoped data sources)
          break;
      }
    }
  }
  return out;
}

class Checker {
  constructor(
    private readonly decl: Declarations,
    private readonly where: string,
    private readonly out: ConfigProblem[],
  ) {}

  private report(ctx: Omit<Context, 'attr'> & { attr?: Attribute }, summary: string, detail: string): void {
    const pos = ctx.attr?.pos;
    this.out.push({
      file: pos?.file ?? ctx.file,
      line: pos?.line ?? 1,
      column: pos?.col ?? 1,
      summary,
      detail,
    });
  }

  /** A resource, data or ephemeral body: meta-arguments, lifecycle, provisioners and connection have rules of their own. */
  resourceBody(body: Body, ctx: Omit<Context, 'attr'>): void {
    for (const a of body.attributes) {
      if (a.name === 'provider') continue; // a provider configuration address, not a reference
      this.attr(a, ctx);
    }
    for (const b of body.blocks) {
      if (b.type === 'lifecycle') {
        for (const a of b.body.attributes) if (a.name !== 'ignore_changes') this.attr(a, ctx);
        for (const c of b.body.blocks)
          this.body(c.body, { ...ctx, self: ctx.self || c.type === 'postcondition' });
      } else if (b.type === 'provisioner' || b.type === 'connection') {
        this.body(b.body, { ...ctx, self: true });
      } else {
        this.block(b, ctx);
      }
    }
  }

  /** Every argument and nested block of `body`; `selfBlocks` marks nested blocks where `self` is allowed. */
  body(body: Body, ctx: Omit<Context, 'attr'>, selfBlocks?: (b: Block) => boolean): void {
    for (const a of body.attributes) this.attr(a, ctx);
    for (const b of body.blocks) this.block(b, selfBlocks?.(b) ? { ...ctx, self: true } : ctx);
  }

  /** A nested block; `dynamic` binds its iterator (the label, or `iterator = name`) in `content`. */
  private block(b: Block, ctx: Omit<Context, 'attr'>): void {
    if (b.type !== 'dynamic') {
      this.body(b.body, ctx);
      return;
    }
    const it = b.body.attributes.find((a) => a.name === 'iterator');
    const name = it && it.expr.k === 'var' ? it.expr.name : b.labels[0];
    for (const a of b.body.attributes) if (a.name !== 'iterator') this.attr(a, ctx);
    const inner = name ? { ...ctx, bound: new Set([...ctx.bound, name]) } : ctx;
    for (const c of b.body.blocks) this.body(c.body, c.type === 'content' ? inner : ctx);
  }

  attr(a: Attribute, ctx: Omit<Context, 'attr'>): void {
    this.expr(a.expr, { ...ctx, attr: a });
  }

  private expr(e: Expr, ctx: Context): void {
    switch (e.k) {
      case 'lit':
      case 'error':
        return;
      case 'tpl':
        this.parts(e.parts, ctx);
        return;
      case 'tuple':
        for (const x of e.items) this.expr(x, ctx);
        return;
      case 'object':
        for (const it of e.items) {
          // `{ name = x }`: a bare identifier key is a string, not a reference
          if (!(it.ident !== undefined && it.key.k === 'var')) this.expr(it.key, ctx);
          this.expr(it.val, ctx);
        }
        return;
      case 'var':
        this.reference(e.name, [], ctx);
        return;
      case 'trav':
        if (e.base.k === 'var') this.reference(e.base.name, e.steps, ctx);
        else this.expr(e.base, ctx);
        this.steps(e.steps, ctx);
        return;
      case 'call':
        this.call(e.name, ctx);
        for (const x of e.args) this.expr(x, ctx);
        return;
      case 'cond':
        this.expr(e.c, ctx);
        this.expr(e.t, ctx);
        this.expr(e.f, ctx);
        return;
      case 'unop':
        this.expr(e.e, ctx);
        return;
      case 'binop':
        this.expr(e.l, ctx);
        this.expr(e.r, ctx);
        return;
      case 'for': {
        this.expr(e.coll, ctx);
        const bound = new Set(ctx.bound);
        bound.add(e.valVar);
        if (e.keyVar) bound.add(e.keyVar);
        const inner = { ...ctx, bound };
        if (e.keyExpr) this.expr(e.keyExpr, inner);
        this.expr(e.valExpr, inner);
        if (e.cond) this.expr(e.cond, inner);
        return;
      }
    }
  }

  private steps(steps: readonly Step[], ctx: Context): void {
    for (const s of steps) {
      if (s.t === 'index') this.expr(s.e, ctx);
      else if (s.t === 'splat') this.steps(s.steps, ctx);
    }
  }

  private parts(parts: readonly TplPart[], ctx: Context): void {
    for (const p of parts) {
      if (typeof p === 'string') continue;
      if (p.k === 'interp') this.expr(p.e, ctx);
      else if (p.k === 'if') {
        this.expr(p.cond, ctx);
        this.parts(p.yes, ctx);
        this.parts(p.no, ctx);
      } else {
        this.expr(p.coll, ctx);
        const bound = new Set(ctx.bound);
        bound.add(p.valVar);
        if (p.keyVar) bound.add(p.keyVar);
        this.parts(p.body, { ...ctx, bound });
      }
    }
  }

  private call(name: string, ctx: Context): void {
    if (name.startsWith('provider::')) return;
    const bare = name.startsWith('core::') ? name.slice('core::'.length) : name;
    if (!TERRAFORM_FUNCTIONS.has(bare))
      this.report(ctx, 'Call to unknown function', `There is no function named "${name}".`);
  }

  private reference(root: string, steps: readonly Step[], ctx: Context): void {
    if (ctx.bound.has(root)) return;
    const a0 = steps[0]?.t === 'attr' ? steps[0].name : undefined;
    const a1 = steps[1]?.t === 'attr' ? steps[1].name : undefined;
    const d = this.decl;
    switch (root) {
      case 'var':
        if (a0 !== undefined && !d.variables.has(a0))
          this.report(
            ctx,
            'Reference to undeclared input variable',
            `An input variable with the name "${a0}" has not been declared. This variable can be declared with a variable "${a0}" {} block.`,
          );
        return;
      case 'local':
        if (a0 !== undefined && !d.locals.has(a0))
          this.report(
            ctx,
            'Reference to undeclared local value',
            `A local value with the name "${a0}" has not been declared.`,
          );
        return;
      case 'module':
        if (a0 !== undefined && !d.modules.has(a0))
          this.report(
            ctx,
            'Reference to undeclared module',
            `No module call named "${a0}" is declared in ${this.where}.`,
          );
        return;
      case 'data':
      case 'ephemeral':
        if (
          a0 !== undefined &&
          a1 !== undefined &&
          !(root === 'data' ? d.data : d.ephemeral).has(`${a0}.${a1}`)
        )
          this.report(
            ctx,
            'Reference to undeclared resource',
            `A ${root} resource "${a0}" "${a1}" has not been declared in ${this.where}.`,
          );
        return;
      case 'path':
        if (a0 !== undefined && !PATH_ATTRS.has(a0))
          this.report(
            ctx,
            'Invalid "path" attribute',
            `The "path" object does not have an attribute named "${a0}".`,
          );
        return;
      case 'terraform':
        if (a0 !== undefined && !TERRAFORM_ATTRS.has(a0))
          this.report(
            ctx,
            'Invalid "terraform" attribute',
            `The "terraform" object does not have an attribute named "${a0}".`,
          );
        return;
      case 'count':
        if (!ctx.count)
          this.report(
            ctx,
            'Reference to "count" in non-counted context',
            'The "count" object can only be used in "module", "resource", and "data" blocks, and only when the "count" argument is set.',
          );
        return;
      case 'each':
        if (!ctx.each)
          this.report(
            ctx,
            'Reference to "each" in context without for_each',
            'The "each" object can be used only in "module" or "resource" blocks, and only when the "for_each" argument is set.',
          );
        return;
      case 'self':
        if (!ctx.self)
          this.report(
            ctx,
            'Invalid "self" reference',
            'The "self" object is not available in this context. This object can be used only in resource provisioner, connection, and postcondition blocks.',
          );
        return;
      default:
        if (SPECIAL_ROOTS.has(root)) return;
        if (a0 === undefined) {
          this.report(
            ctx,
            'Invalid reference',
            'A reference to a resource type must be followed by at least one attribute access, specifying the resource name.',
          );
        } else if (!d.resources.has(`${root}.${a0}`)) {
          this.report(
            ctx,
            'Reference to undeclared resource',
            `A managed resource "${root}" "${a0}" has not been declared in ${this.where}.`,
          );
        }
    }
  }
}
