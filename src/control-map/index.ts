export {
  type ControlMapContext,
  ControlMapError,
  type ControlMapIssue,
  formatIssue,
  formatPath,
  isIsoDate,
  loadControlMap,
  parseControlMap,
} from './parse.js';
export { renderStarterYaml, starterControlMap } from './starter.js';
export { closest, didYouMean, editDistance } from './suggest.js';
export {
  type ControlMap,
  DEFAULT_MAX_AGE_DAYS,
  type ManualEvidenceSpec,
  type MapControl,
  type NotApplicableEntry,
  type Waiver,
} from './types.js';
export { applyWaivers, isExpired, type WaiverApplication, waiverMatches } from './waivers.js';
