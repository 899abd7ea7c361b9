import type { Diagnostic } from '../../core/errors.js';
import type { CfnValue } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';
import type { CfnEntry, CfnNode } from './node.js';

/** One declared template parameter (`Parameters` section). */
export interface ParameterDecl {
  name: string;
  /** `Type` as written: `String`, `Number`, `CommaDelimitedList`, `AWS::SSM::Parameter::Value<String>`, ... */
  type: string;
  defaultNode?: CfnNode;
  noEcho: boolean;
  loc: SourceLocation;
}

/** What one template declares, for the evaluator (src/sources/cloudformation/evaluate.ts). */
export interface TemplateScope {
  /** Template file, POSIX, relative to the scan root. */
  file: string;
  parameters: Map<string, ParameterDecl>;
  /** `Mappings` by name (each a map node). */
  mappings: Map<string, CfnNode>;
  /** `Conditions` by name. */
  conditions: Map<string, CfnEntry>;
  /** Logical ids of the template's resources (after `Fn::ForEach` expansion). */
  resources: Set<string>;
  /**
   * True when a transform may add resources or rewrite the template (SAM, `AWS::Include`, a macro,
   * an `Fn::ForEach` loop not expanded): a reference to an undeclared name is then a warning, since
   * the transform may declare it (`MyFunctionRole`, `ServerlessRestApi`), not an error.
   */
  generated: boolean;
  /** Parameter and pseudo parameter values given for the scan (`--parameter NAME=VALUE`). */
  overrides: Readonly<Record<string, string>>;
  /**
   * Reports a diagnostic about this template (deduplicated by the caller); `code` defaults to
   * `E_INPUT_PARSE` (the template is malformed or CloudFormation would reject it).
   */
  diag(
    severity: Diagnostic['severity'],
    message: string,
    loc?: SourceLocation,
    code?: Diagnostic['code'],
  ): void;
}

/** Where the evaluation of one value stands: its output path, where to record locations and references. */
export interface Frame {
  /** Output path of the value being evaluated, `.`-joined (`''` for a resource's properties). */
  path: string;
  /** Locations of output paths, filled as values are produced. */
  locs: Record<string, SourceLocation>;
  /** Logical ids referenced by the value (`Ref`, `Fn::GetAtt`, `${X}`). */
  refs: Set<string>;
  /** `Fn::ForEach` identifiers in scope and their values. */
  loop: ReadonlyMap<string, CfnValue>;
}

/** Pseudo parameters (CloudFormation "Pseudo parameters reference"), `AWS::NoValue` aside. */
export const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/**
 * The value of a pseudo parameter from the scan's overrides; `AWS::Partition` and `AWS::URLSuffix`
 * follow from a given `AWS::Region` for the commercial, China and GovCloud partitions. Undefined when
 * not known.
 */
export function pseudoValue(name: string, overrides: Readonly<Record<string, string>>): CfnValue | undefined {
  const given = overrides[name];
  if (given !== undefined) return name === 'AWS::NotificationARNs' ? splitList(given) : given;
  const region = overrides['AWS::Region'];
  const partition =
    overrides['AWS::Partition'] ??
    (region === undefined
      ? undefined
      : region.startsWith('cn-')
        ? 'aws-cn'
        : region.startsWith('us-gov-')
          ? 'aws-us-gov'
          : /^[a-z]{2}-[a-z]+-\d$/.test(region)
            ? 'aws'
            : undefined);
  if (name === 'AWS::Partition') return partition;
  if (name === 'AWS::URLSuffix') {
    if (partition === 'aws' || partition === 'aws-us-gov') return 'amazonaws.com';
    if (partition === 'aws-cn') return 'amazonaws.com.cn';
  }
  return undefined;
}

/** A comma-delimited parameter value as a list; each member is space-trimmed (as CloudFormation does). */
export function splitList(s: string): string[] {
  return s === '' ? [] : s.split(',').map((x) => x.trim());
}
