import type { CheckContext } from '../core/check.js';
import type { KubernetesObject, TerraformResource } from '../core/facts.js';
import type { EvalHost } from './function.js';

/**
 * The evaluation host of a rule: what helpers may read besides their arguments (the subject's fact
 * and the check context), and the roots that name unresolved values' paths. Built once per subject
 * by src/policy/rule-check.ts.
 */
export class RuleHost implements EvalHost {
  private readonly roots: [object, string][] = [];
  private paths: Map<object, string> | undefined;

  constructor(
    readonly ctx: CheckContext,
    readonly terraform?: TerraformResource,
    readonly kubernetes?: KubernetesObject,
  ) {}

  /** Registers a container whose values are reported as `label.path` (e.g. a companion's attributes under its address). */
  addRoot(container: object, label: string): void {
    this.roots.push([container, label]);
    this.paths = undefined;
  }

  /** The path of a container reachable from a root, e.g. `resource.versioning[0]`; undefined for values built by the expression. */
  pathOf(container: object): string | undefined {
    if (!this.paths) {
      this.paths = new Map();
      for (const [root, label] of this.roots) index(root, label, this.paths);
    }
    return this.paths.get(container);
  }
}

function index(v: unknown, path: string, out: Map<object, string>): void {
  if (typeof v !== 'object' || v === null || out.has(v)) return;
  out.set(v, path);
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) index(x, `${path}[${i}]`, out);
  } else if (Object.getPrototypeOf(v) === Object.prototype)
    for (const [k, x] of Object.entries(v))
      index(x, /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, out);
}
