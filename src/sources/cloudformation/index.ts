export { looksLikeTemplate } from './detect.js';
export {
  type CloudFormationOptions,
  type CloudFormationResult,
  loadCloudFormation,
  MAX_TEMPLATE_BYTES,
} from './load.js';
