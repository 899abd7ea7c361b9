import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectCiContext } from './ci-context.js';

describe('detectCiContext', () => {
  it('GitHub Actions: run URL with attempt, workflow, actor, commit, ref', () => {
    assert.deepEqual(
      detectCiContext({
        GITHUB_ACTIONS: 'true',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_RUN_ID: '123',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_WORKFLOW: 'compliance',
        GITHUB_ACTOR: 'alice',
        GITHUB_SHA: 'abc',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_TOKEN: 'ghs_secret',
      }),
      {
        provider: 'github-actions',
        runUrl: 'https://github.com/acme/infra/actions/runs/123/attempts/2',
        runId: '123',
        runAttempt: '2',
        workflow: 'compliance',
        actor: 'alice',
        commit: 'abc',
        ref: 'refs/heads/main',
        repository: 'acme/infra',
        event: 'push',
      },
    );
  });

  it('GitLab CI, CircleCI, Buildkite, generic CI, and none', () => {
    const gl = detectCiContext({
      GITLAB_CI: 'true',
      CI_JOB_URL: 'https://gitlab.com/a/b/-/jobs/9',
      GITLAB_USER_LOGIN: 'bob',
      CI_COMMIT_SHA: 'def',
    });
    assert.deepEqual(gl, {
      provider: 'gitlab-ci',
      runUrl: 'https://gitlab.com/a/b/-/jobs/9',
      actor: 'bob',
      commit: 'def',
    });
    assert.equal(
      detectCiContext({ CIRCLECI: 'true', CIRCLE_BUILD_URL: 'https://circleci.com/x/1' })?.runUrl,
      'https://circleci.com/x/1',
    );
    assert.equal(
      detectCiContext({ BUILDKITE: 'true', BUILDKITE_BUILD_URL: 'https://buildkite.com/x/2' })?.provider,
      'buildkite',
    );
    assert.deepEqual(detectCiContext({ CI: 'true' }), { provider: 'generic' });
    assert.equal(detectCiContext({}), undefined);
    assert.equal(detectCiContext({ CI: 'false' }), undefined);
  });

  it('never copies token-like variables', () => {
    const ctx = detectCiContext({
      GITHUB_ACTIONS: 'true',
      GITHUB_TOKEN: 'ghs_secret',
      ACTIONS_RUNTIME_TOKEN: 'x',
    });
    assert.ok(!JSON.stringify(ctx).includes('secret'));
  });
});
