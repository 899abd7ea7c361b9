/**
 * CI run context recorded in scan evidence, so a control links to the CI run that proves it. Pure: reads only
 * the env object passed in. Only non-secret identifiers are read (never tokens).
 */

/** Where and by whom a scan ran in CI. Fields absent when the provider does not expose them. */
export interface CiContext {
  /** `github-actions`, `gitlab-ci`, `circleci`, `buildkite`, `jenkins`, `azure-pipelines`, or `generic`. */
  provider: string;
  /** URL of the run/job/build, when derivable. */
  runUrl?: string;
  runId?: string;
  /** Run attempt / retry number when the provider has one. */
  runAttempt?: string;
  workflow?: string;
  job?: string;
  actor?: string;
  /** Commit the CI run built (full sha). */
  commit?: string;
  /** Branch or ref, e.g. `refs/heads/main` or `main`. */
  ref?: string;
  /** `owner/name` or project path. */
  repository?: string;
  /** Event that triggered the run, e.g. `push`, `pull_request`. */
  event?: string;
}

const nonEmpty = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v.trim() : undefined);

function compact(ctx: CiContext): CiContext {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx)) if (typeof v === 'string' && v !== '') out[k] = v;
  return out as unknown as CiContext;
}

/**
 * Detects the CI provider from environment variables: GitHub Actions (GITHUB_ACTIONS), GitLab CI (GITLAB_CI),
 * CircleCI (CIRCLECI), Buildkite (BUILDKITE), Jenkins (JENKINS_URL), Azure Pipelines (TF_BUILD), then generic
 * `CI=true|1`. Returns undefined outside CI.
 */
export function detectCiContext(env: NodeJS.ProcessEnv): CiContext | undefined {
  const e = (k: string): string | undefined => nonEmpty(env[k]);
  if (e('GITHUB_ACTIONS') === 'true') {
    const server = (e('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, '');
    const repo = e('GITHUB_REPOSITORY');
    const runId = e('GITHUB_RUN_ID');
    const attempt = e('GITHUB_RUN_ATTEMPT');
    const runUrl =
      repo && runId
        ? `${server}/${repo}/actions/runs/${runId}${attempt ? `/attempts/${attempt}` : ''}`
        : undefined;
    return compact({
      provider: 'github-actions',
      runUrl,
      runId,
      runAttempt: attempt,
      workflow: e('GITHUB_WORKFLOW'),
      job: e('GITHUB_JOB'),
      actor: e('GITHUB_ACTOR'),
      commit: e('GITHUB_SHA'),
      ref: e('GITHUB_REF'),
      repository: repo,
      event: e('GITHUB_EVENT_NAME'),
    });
  }
  if (e('GITLAB_CI') === 'true') {
    return compact({
      provider: 'gitlab-ci',
      runUrl: e('CI_JOB_URL') ?? e('CI_PIPELINE_URL'),
      runId: e('CI_PIPELINE_ID'),
      workflow: e('CI_PIPELINE_NAME') ?? e('CI_PIPELINE_SOURCE'),
      job: e('CI_JOB_NAME'),
      actor: e('GITLAB_USER_LOGIN'),
      commit: e('CI_COMMIT_SHA'),
      ref: e('CI_COMMIT_REF_NAME'),
      repository: e('CI_PROJECT_PATH'),
      event: e('CI_PIPELINE_SOURCE'),
    });
  }
  if (e('CIRCLECI') === 'true') {
    return compact({
      provider: 'circleci',
      runUrl: e('CIRCLE_BUILD_URL'),
      runId: e('CIRCLE_WORKFLOW_ID') ?? e('CIRCLE_BUILD_NUM'),
      workflow: e('CIRCLE_WORKFLOW_ID'),
      job: e('CIRCLE_JOB'),
      actor: e('CIRCLE_USERNAME'),
      commit: e('CIRCLE_SHA1'),
      ref: e('CIRCLE_BRANCH') ?? e('CIRCLE_TAG'),
      repository:
        e('CIRCLE_PROJECT_USERNAME') && e('CIRCLE_PROJECT_REPONAME')
          ? `${e('CIRCLE_PROJECT_USERNAME')}/${e('CIRCLE_PROJECT_REPONAME')}`
          : undefined,
    });
  }
  if (e('BUILDKITE') === 'true') {
    return compact({
      provider: 'buildkite',
      runUrl: e('BUILDKITE_BUILD_URL'),
      runId: e('BUILDKITE_BUILD_ID') ?? e('BUILDKITE_BUILD_NUMBER'),
      runAttempt: e('BUILDKITE_RETRY_COUNT'),
      workflow: e('BUILDKITE_PIPELINE_SLUG'),
      job: e('BUILDKITE_LABEL'),
      actor: e('BUILDKITE_BUILD_CREATOR_EMAIL') ?? e('BUILDKITE_BUILD_CREATOR'),
      commit: e('BUILDKITE_COMMIT'),
      ref: e('BUILDKITE_BRANCH'),
      repository: e('BUILDKITE_REPO'),
      event: e('BUILDKITE_SOURCE'),
    });
  }
  if (e('JENKINS_URL')) {
    return compact({
      provider: 'jenkins',
      runUrl: e('BUILD_URL'),
      runId: e('BUILD_ID') ?? e('BUILD_NUMBER'),
      workflow: e('JOB_NAME'),
      commit: e('GIT_COMMIT'),
      ref: e('GIT_BRANCH'),
    });
  }
  if (e('TF_BUILD') === 'True' || e('TF_BUILD') === 'true') {
    const base = e('SYSTEM_COLLECTIONURI');
    const project = e('SYSTEM_TEAMPROJECT');
    const buildId = e('BUILD_BUILDID');
    return compact({
      provider: 'azure-pipelines',
      runUrl:
        base && project && buildId
          ? `${base.replace(/\/+$/, '')}/${encodeURIComponent(project)}/_build/results?buildId=${buildId}`
          : undefined,
      runId: buildId,
      workflow: e('BUILD_DEFINITIONNAME'),
      job: e('SYSTEM_JOBDISPLAYNAME'),
      actor: e('BUILD_REQUESTEDFOR'),
      commit: e('BUILD_SOURCEVERSION'),
      ref: e('BUILD_SOURCEBRANCH'),
      repository: e('BUILD_REPOSITORY_NAME'),
      event: e('BUILD_REASON'),
    });
  }
  const ci = e('CI')?.toLowerCase();
  if (ci === 'true' || ci === '1') return { provider: 'generic' };
  return undefined;
}
