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

export const TRIVY_EXCEPTIONS: readonly TrivyException[] = [];
