import type { Diagnostic } from '../core/errors.js';
import type { ConcernId, Concerns } from './concerns.js';

/**
 * The concern-typed model of one scan (DESIGN.md layer 2). Built by the adapters
 * (src/adapters/build-model.ts) once per scan, lazily: a concern's objects are made the first time a
 * rule asks for them, by every adapter feeding that concern (Terraform HCL and plan JSON,
 * Kubernetes manifests, CloudFormation ...), and then shared by every rule.
 */
export interface Model {
  /** The objects of concern `id`, from every input, in facts order. */
  get<C extends ConcernId>(id: C): readonly Concerns[C][];
  /**
   * Diagnostics the adapters reported so far (for example two buckets claiming one name). The scan
   * reads them after the rules ran.
   */
  readonly diagnostics: readonly Diagnostic[];
}
