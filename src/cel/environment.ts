// The CEL environment of rule expressions: variables, standard functions and Evident's helpers, per
// input. Parsing and type checking use @marcbachmann/cel-js (see docs/policies.md "CEL library");
// evaluation uses our three-valued compiler (compile.ts).
import { type ASTNode, Environment } from '@marcbachmann/cel-js';
import { didYouMean } from '../control-map/suggest.js';
import {
  CompileError,
  type CompileError as CompileErrorType,
  compileAst,
  type FunctionTable,
  functionTable,
  type Program,
} from './compile.js';
import type { CelFunction } from './function.js';
import { KUBERNETES_FUNCTIONS } from './helpers/kubernetes.js';
import { NETWORK_FUNCTIONS } from './helpers/network.js';
import { TERRAFORM_FUNCTIONS } from './helpers/terraform.js';
import { STANDARD_FUNCTIONS } from './std.js';

/** The variables every rule expression sees (docs/policies.md "The CEL environment"). */
export const RULE_VARIABLES: readonly { name: string; type: string; doc: string }[] = [
  {
    name: 'resource',
    type: 'dyn',
    doc: 'the subject: Terraform attributes in plan-JSON shape (`resource.versioning[0].enabled`), or the Kubernetes manifest (`resource.spec.replicas`)',
  },
  {
    name: 'address',
    type: 'string',
    doc: 'the subject address: `module.x.aws_s3_bucket.b["k"]`, `Deployment/ns/web`',
  },
  {
    name: 'resourceType',
    type: 'string',
    doc: "the Terraform resource type (`aws_s3_bucket`) or Kubernetes kind (`Deployment`); named so because `type` is CEL's built-in type function",
  },
  {
    name: 'provider',
    type: 'string',
    doc: 'Terraform: the provider configuration (`aws`, `aws.usw2`, `module.x:aws`); Kubernetes: the apiVersion',
  },
];

/** `default(value, fallback)`: declared for the type checker; the compiler expands it (compile.ts). */
const DEFAULT_SIGNATURE = 'default(dyn, dyn): dyn';

/** Every Evident helper (not the CEL standard functions), for docs. */
export const HELPER_FUNCTIONS: readonly CelFunction[] = [
  ...NETWORK_FUNCTIONS,
  ...TERRAFORM_FUNCTIONS,
  ...KUBERNETES_FUNCTIONS,
];

/** A checked, compiled expression. */
export interface CompiledExpression {
  source: string;
  ast: ASTNode;
  /** The type the checker inferred (`bool`, `dyn`, `string`, ...). */
  type: string;
  program: Program;
}

/** Why an expression was rejected, with offsets into its text (0-based, end exclusive). */
export interface ExpressionProblem {
  message: string;
  start: number;
  end: number;
}

interface InputEnvironment {
  checker: Environment;
  table: FunctionTable;
  names: string[];
}

const environments = new Map<string, InputEnvironment>();

function environmentFor(input: string): InputEnvironment {
  let env = environments.get(input);
  if (env) return env;
  const fns = [
    ...STANDARD_FUNCTIONS,
    ...HELPER_FUNCTIONS.filter((f) => !f.inputs || f.inputs.includes(input)),
  ];
  const checker = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false });
  for (const v of RULE_VARIABLES) checker.registerVariable(v.name, v.type);
  checker.registerFunction(DEFAULT_SIGNATURE, (x: unknown) => x);
  for (const f of fns) for (const sig of f.signatures) checker.registerFunction(sig, () => undefined);
  env = { checker, table: functionTable(fns), names: [...new Set(fns.map((f) => f.name))] };
  environments.set(input, env);
  return env;
}

/** Names of the functions callable in rules of `input` (standard and helpers), for suggestions. */
export function functionNames(input: string): string[] {
  return [...environmentFor(input).names, 'has', 'default', 'all', 'exists', 'exists_one', 'map', 'filter'];
}

function rangeOf(e: unknown, fallbackEnd: number): { start: number; end: number } {
  const r = (e as { range?: { start: number; end: number } }).range;
  return r ? { start: r.start, end: Math.max(r.end, r.start + 1) } : { start: 0, end: fallbackEnd };
}

/** First line of a library error message (it appends a source excerpt we render ourselves). */
function summary(e: unknown): string {
  const s = (e as { summary?: string }).summary;
  return (s ?? (e as Error).message ?? String(e)).split('\n')[0]!.trim();
}

/**
 * Parses, type-checks and compiles one rule expression for `input` (a facts family: `terraform`,
 * `kubernetes`, ...). Returns the compiled expression, or the problem (syntax error, type error,
 * unknown variable or function, unsupported construct) with its offsets. `expect: 'bool'` also
 * rejects expressions whose type is known not to be bool.
 */
export function compileExpression(
  source: string,
  input: string,
  expect?: 'bool',
): CompiledExpression | ExpressionProblem {
  const env = environmentFor(input);
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.checker.parse(source);
  } catch (e) {
    return { message: `CEL syntax error: ${summary(e)}`, ...rangeOf(e, source.length) };
  }
  const checked = parsed.check();
  if (!checked.valid) {
    const text = summary(checked.error);
    const range = rangeOf(checked.error, source.length);
    const m = /no matching overload for '(?:[\w<>, ]+\.)?(\w+)\(/.exec(text);
    if (m && !env.names.includes(m[1]!)) {
      const hint = didYouMean(m[1]!, functionNames(input));
      return {
        message: `unknown function '${m[1]}'.${hint || ' See docs/policies.md for the functions rules may call.'}`,
        ...range,
      };
    }
    const v = /Unknown variable: (\w+)/.exec(text);
    if (v) {
      const hint = didYouMean(
        v[1]!,
        RULE_VARIABLES.map((x) => x.name),
      );
      return {
        message: `unknown variable '${v[1]}'.${hint || ` Rules see ${RULE_VARIABLES.map((x) => x.name).join(', ')}.`}`,
        ...range,
      };
    }
    return { message: `CEL type error: ${text}`, ...range };
  }
  const type = checked.type ?? 'dyn';
  if (expect === 'bool' && type !== 'bool' && type !== 'dyn') {
    return {
      message: `the expression must be a bool, but its type is ${type}`,
      start: 0,
      end: source.length,
    };
  }
  try {
    const program = compileAst(
      parsed.ast,
      RULE_VARIABLES.map((v) => v.name),
      env.table,
    );
    return { source, ast: parsed.ast, type, program };
  } catch (e) {
    if (e instanceof CompileError) return { message: e.message, start: e.start, end: e.end };
    throw e;
  }
}

/** True when {@link compileExpression} failed. */
export function isProblem(x: CompiledExpression | ExpressionProblem): x is ExpressionProblem {
  return 'message' in x && !('program' in x);
}

export type { CompileErrorType };
