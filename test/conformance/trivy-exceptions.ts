/**
 * Trivy corpus snippets on which an Evident check deliberately disagrees with trivy. Each entry
 * names the check, the corpus file (path under trivy-checks/checks without `.yaml`), which list
 * (`good` or `bad`) and the 0-based index of the snippet in that list, with the reason the corpus
 * verdict is judged wrong or out of scope. trivy.test.ts fails on any disagreement not listed here,
 * and on any entry here that no longer matches a disagreement (stale exceptions are removed).
 */
export interface TrivyException {
  check: string;
  corpus: string;
  list: 'good' | 'bad';
  index: number;
  reason: string;
}

export const TRIVY_EXCEPTIONS: readonly TrivyException[] = [
  {
    check: 'aws.rds-storage-encrypted',
    corpus: 'cloud/aws/rds/encrypt_cluster_storage_data',
    list: 'bad',
    index: 1,
    reason:
      'storage_encrypted = true without kms_key_id encrypts the cluster at rest with the AWS-managed aws/rds key; ' +
      'trivy also demands a customer-managed key here, which is a key-management policy, not encryption at rest.',
  },
  {
    check: 'gcp.firewall-no-internet-ssh-rdp',
    corpus: 'cloud/google/compute/no_open_rdp_access',
    list: 'good',
    index: 2,
    reason:
      'GCP matches an ingress rule when the source is in source_ranges OR carries one of source_tags: ' +
      '0.0.0.0/0 plus source_tags still admits the whole internet to 3389, so this "good" snippet is open.',
  },
];

/**
 * Diagnostics the CloudFormation source rightly reports on trivy's CloudFormation examples (which are
 * fragments, not always valid templates): the snippet, a pattern of the diagnostic's message and why.
 * Any other warning or error on a snippet fails trivy.test.ts, as does an entry that no longer matches.
 */
export interface CfnSnippetDiagnostic {
  corpus: string;
  list: 'good' | 'bad';
  index: number;
  pattern: RegExp;
  reason: string;
}

export const CFN_SNIPPET_DIAGNOSTICS: readonly CfnSnippetDiagnostic[] = [
  ...['Version', 'Statement'].map((key) => ({
    corpus: 'cloud/aws/iam/no_policy_wildcards',
    list: 'bad' as const,
    index: 0,
    pattern: new RegExp(`^Resource ${key} must be a map with a Type`),
    reason:
      'the example is mis-indented: Version and Statement sit at the level of the logical ids, so they are read as resources (CloudFormation would reject it) and the policy document is empty',
  })),
];
