import type { Facts, FactsKey } from './facts.js';
import type { ScanLimits } from './limits.js';
import type { SourceResult } from './source-result.js';

/**
 * One file found under the scan root, offered to the sources (DESIGN.md "Sources"): a regular file,
 * or an entry its reader must refuse without opening it blindly (FIFO, socket, device, broken link,
 * link out of the root; see src/sources/discover.ts).
 * `abs` is absolute; `rel` is POSIX, relative to the scan root (`''` never: a single-file scan uses
 * the base name); `name` is the base name as written.
 */
export interface CandidateFile {
  abs: string;
  rel: string;
  name: string;
  /** Size in bytes from the walk's stat, when known. */
  size?: number;
}

/** What a source may use to decide which files it reads. */
export interface ClaimContext {
  /** Absolute scan root directory. */
  root: string;
  /**
   * The first `bytes` bytes of `file` (default 64 KiB) decoded as UTF-8 with a leading BOM removed,
   * cached per file so several sources may sniff one file for the cost of one read. Resolves to
   * `undefined` when the file cannot be read: the owning source reports that when it loads it.
   */
  head(file: CandidateFile, bytes?: number): Promise<string | undefined>;
}

/**
 * Options the user gave the scan that sources may read (`--var-file`, `--var`, `--workspace`, ...).
 * A source reads only the fields it documents; unknown fields are ignored.
 */
export interface SourceOptions {
  /** Terraform `-var-file` paths, absolute or relative to the current directory. */
  varFiles?: string[];
  /** Terraform `-var` overrides, name to raw string. */
  vars?: Record<string, string>;
  /** Terraform workspace name; undefined means `terraform.workspace` is not known statically. */
  workspace?: string;
  /** The secrets source (src/sources/secrets): evident.yaml `secrets:` and `evident secrets` options. */
  secrets?: {
    /** false turns the secrets scan off (default on). */
    enabled?: boolean;
    /** Also scan the added lines of every commit on every branch. */
    history?: boolean;
    /** A gitleaks TOML rules file replacing (or with `[extend] useDefault`, adding to) the built-in rules. */
    rules?: string;
    /** Largest file, or added text of one file change, scanned; default 10 MiB. */
    maxFileBytes?: number;
    /** Directory of the per-repository salt file `salt` (default `<root>/.evident`). */
    saltDir?: string;
  };
  /** The dependencies source (src/sources/dependencies): evident.yaml `dependencies:` and `--osv`. */
  dependencies?: {
    /** false turns lockfile reading off (default on). */
    enabled?: boolean;
    /** OSV database: a directory of OSV JSON files or an OSV `all.zip` export, absolute or relative to the cwd. */
    osv?: string;
  };
  /** Resource limits of the scan (core/limits.ts); a source applies the ones about its input. Default: the defaults. */
  limits?: ScanLimits;
  /**
   * CloudFormation parameter values (`--parameter NAME=VALUE`), name to raw string, applied to every
   * template that declares the parameter; pseudo parameters (`AWS::Region`, `AWS::AccountId`,
   * `AWS::Partition`, `AWS::StackName`, ...) may be given the same way.
   */
  cfnParameters?: Record<string, string>;
}

/** What a source's `load` may use besides its files. Sources never judge and never print. */
export interface SourceLoadContext {
  /** Absolute scan root directory; every `file` in facts, inputs and diagnostics is relative to it. */
  root: string;
  options: SourceOptions;
  /** Progress line for the CLI (`parsed 53 Terraform files`). */
  progress(message: string): void;
}

/**
 * A source (DESIGN.md layer 1): reads one kind of input and returns typed facts with locations.
 * Registered in `src/sources/registry.ts`; the scan, the conformance runner and the docs generator
 * loop over the registry, so adding an input means adding a folder under `src/sources/` that exports
 * one `Source` and one line in the registry.
 *
 * Claiming: sources are offered the files in ascending `priority`; a file one source claims is not
 * offered to the sources after it (a CloudFormation template is not also read as Kubernetes YAML).
 */
export interface Source<K extends FactsKey = FactsKey> {
  /** Stable id, kebab-case: `terraform`, `terraform-plan`, `kubernetes`. Used in docs and fixture routing. */
  id: string;
  /** The facts family it fills; several sources may fill one family (HCL and plan JSON fill `terraform`). */
  facts: K;
  /** Human name for progress lines and docs: `Terraform HCL`. */
  title: string;
  /** What it reads, one sentence for docs: `*.tf files, grouped into modules by directory`. */
  reads: string;
  /** Lower claims first (see the interface doc). Ties keep registry order. */
  priority: number;
  /**
   * True for a source that reads every discovered file without taking it from the others (the
   * secrets scan): it is offered all files whatever earlier sources claimed, and what it claims is
   * still offered to later sources.
   */
  observesAll?: boolean;
  /**
   * Conformance fixture file-name suffixes this source reads (`.tf`, `.plan.json`), longest match
   * wins across sources; used to route rule fixtures to the right source.
   */
  fixtureSuffixes: readonly string[];
  /** The candidates this source reads (a subset of `files`, same order). May sniff with `ctx.head`. */
  claim(files: readonly CandidateFile[], ctx: ClaimContext): Promise<CandidateFile[]>;
  /** Reads the claimed files. Must not throw for bad files (diagnostics instead). */
  load(files: readonly CandidateFile[], ctx: SourceLoadContext): Promise<SourceResult<Facts[K][number]>>;
}
