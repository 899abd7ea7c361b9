/**
 * Terraform resource addresses as printed in plan JSON (`module.net["a"].aws_sg.web[0]`,
 * `data.aws_iam_policy_document.p`). Grammar: dot-separated identifiers, each optionally followed by
 * one instance key `[N]` or `["string"]` (the string in JSON/HCL quoting).
 */

/** One step of an address: an identifier with an optional instance key. */
export interface AddressStep {
  name: string;
  key?: string | number;
}

/** A resource instance address split into its parts. */
export interface ParsedAddress {
  /** Module calls from the root, e.g. `[{ name: 'net', key: 'a' }]`. */
  modules: AddressStep[];
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** The resource's own instance key, when counted or for_each'd. */
  key?: string | number;
}

/** Identifiers that start a reference but never name a managed resource type. */
const NON_RESOURCE_ROOTS = new Set(['var', 'local', 'module', 'count', 'each', 'path', 'self', 'terraform']);

/**
 * Splits `text` into steps. Returns undefined when it is not an address (unbalanced brackets, a key
 * that is neither a number nor a quoted string, an empty identifier).
 */
export function parseSteps(text: string): AddressStep[] | undefined {
  const steps: AddressStep[] = [];
  let i = 0;
  const ident = /[A-Za-z_][A-Za-z0-9_-]*/y;
  while (i < text.length) {
    ident.lastIndex = i;
    const m = ident.exec(text);
    if (!m) return undefined;
    const step: AddressStep = { name: m[0] };
    i += m[0].length;
    if (text[i] === '[') {
      const close = findKeyEnd(text, i + 1);
      if (close < 0) return undefined;
      const raw = text.slice(i + 1, close);
      if (raw.startsWith('"')) {
        try {
          step.key = JSON.parse(raw) as string;
        } catch {
          return undefined;
        }
      } else if (/^-?\d+$/.test(raw)) {
        step.key = Number(raw);
      } else if (raw === '*') {
        // splat in a reference (`aws_x.y[*].id`): no particular instance
      } else {
        return undefined;
      }
      i = close + 1;
    }
    steps.push(step);
    if (i === text.length) break;
    if (text[i] !== '.') return undefined;
    i += 1;
    if (i === text.length) return undefined;
  }
  return steps;
}

/** Index of the `]` closing an instance key that starts at `from` (handles quoted keys with escapes). */
function findKeyEnd(text: string, from: number): number {
  if (text[from] !== '"') return text.indexOf(']', from);
  let i = from + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return text[i + 1] === ']' ? i + 1 : -1;
    else i += 1;
  }
  return -1;
}

/** Parses a resource instance address (`module.a["x"].data.t.n[0]`); undefined when malformed. */
export function parseResourceAddress(address: string): ParsedAddress | undefined {
  const steps = parseSteps(address);
  if (!steps) return undefined;
  const modules: AddressStep[] = [];
  let i = 0;
  while (i + 1 < steps.length && steps[i]!.name === 'module' && steps[i]!.key === undefined) {
    const call = steps[i + 1]!;
    modules.push(call);
    i += 2;
  }
  const rest = steps.slice(i);
  let mode: 'managed' | 'data' = 'managed';
  if (rest.length === 3 && rest[0]!.name === 'data' && rest[0]!.key === undefined) {
    mode = 'data';
    rest.shift();
  }
  if (rest.length !== 2 || rest[0]!.key !== undefined) return undefined;
  const parsed: ParsedAddress = { modules, mode, type: rest[0]!.name, name: rest[1]!.name };
  if (rest[1]!.key !== undefined) parsed.key = rest[1]!.key;
  return parsed;
}

/** Renders one step as Terraform prints it: `name`, `name[0]`, `name["a"]`. */
export function formatStep(step: AddressStep): string {
  if (step.key === undefined) return step.name;
  return `${step.name}[${typeof step.key === 'number' ? step.key : JSON.stringify(step.key)}]`;
}

/** `module.a["x"].module.b` for module steps; `''` for the root module. */
export function formatModulePath(modules: readonly AddressStep[]): string {
  return modules.map((m) => `module.${formatStep(m)}`).join('.');
}

/**
 * The resource a configuration reference points at, without attribute or instance key, or undefined
 * when it names no resource (`var.x`, `local.y`, `module.m.out`, `each.key`, `count.index`, ...).
 * `aws_s3_bucket.b.id` → `aws_s3_bucket.b`; `data.aws_iam_policy_document.p.json` →
 * `data.aws_iam_policy_document.p`; `aws_instance.x[0]` → `aws_instance.x`.
 */
export function referencedResource(reference: string): string | undefined {
  return resourceReference(reference)?.base;
}

/**
 * The instance a configuration reference names with a literal key (`aws_s3_bucket.b["logs"].id` →
 * `aws_s3_bucket.b["logs"]`, `aws_instance.x[0]` → `aws_instance.x[0]`), or undefined when it names
 * no resource or no literal instance (`aws_x.y[each.key]`, `aws_x.y[*]`, `aws_x.y`).
 */
export function referencedInstance(reference: string): string | undefined {
  const r = resourceReference(reference);
  if (!r) return undefined;
  const key = /^(\[(?:\d+|"(?:[^"\\]|\\.)*")\])(?=$|[.[])/.exec(reference.slice(r.length));
  return key ? `${r.base}${key[1]}` : undefined;
}

function resourceReference(reference: string): { base: string; length: number } | undefined {
  // Lenient on purpose: only the leading `type.name` (or `data.type.name`) matters, whatever index
  // expression follows (`aws_x.y[each.key].id`, `aws_x.y[*].id`).
  const m = /^(data\.)?([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?=$|[.[])/.exec(reference);
  if (!m) return undefined;
  if (m[1]) return { base: `data.${m[2]}.${m[3]}`, length: m[0].length };
  if (NON_RESOURCE_ROOTS.has(m[2]!) || m[2] === 'data') return undefined;
  return { base: `${m[2]}.${m[3]}`, length: m[0].length };
}
