/**
 * Response schemas of the dashboard API (zod). Each read route declares its schema as `response` (route.ts), so
 * three things follow from this one file: the handler's return type is checked against it by the compiler
 * (`route()` types the handler from the schema), `/api/openapi.json` documents it (openapi.ts), and the dashboard
 * (src/web) types its API client with the `z.output` types exported here, so a server change that breaks the UI
 * fails `npm run typecheck`.
 *
 * This module imports zod only: the dashboard imports its types (type-only imports, erased by the bundler).
 */
import { z } from 'zod';

const statusCounts = z.record(z.string(), z.number());

/** A user as the API shows it. */
export const userSchema = z.object({ id: z.number(), email: z.string(), role: z.string() });

/** `POST /api/login` and `GET /api/session`. */
export const sessionResponse = z.object({ user: userSchema, csrfToken: z.string() });

/** `GET /api/overview`. */
export const overviewResponse = z.object({
  generatedAt: z.string(),
  repositories: z.array(z.object({ repo: z.string(), runId: z.number(), recordedAt: z.string() })),
  frameworks: z.array(
    z.object({
      id: z.string(),
      percent: z.number(),
      passing: z.number(),
      inScope: z.number(),
      requirementsByStatus: statusCounts,
      percentWeekAgo: z.number().nullable(),
      repositories: z.array(
        z.object({
          repo: z.string(),
          runId: z.number(),
          recordedAt: z.string(),
          percent: z.number(),
          passing: z.number(),
          inScope: z.number(),
          counts: statusCounts,
        }),
      ),
    }),
  ),
  sinceLastWeek: z.object({
    since: z.string(),
    findingsOpened: z.number(),
    findingsResolved: z.number(),
    controlChanges: z.array(
      z.object({ repo: z.string(), controlId: z.string(), from: z.string(), to: z.string() }),
    ),
  }),
});

/** `GET /api/frameworks/{id}/history`. */
export const historyResponse = z.object({
  framework: z.string(),
  from: z.string(),
  to: z.string(),
  series: z.array(
    z.object({
      day: z.string(),
      percent: z.number().nullable(),
      passing: z.number(),
      inScope: z.number(),
      repositories: z.number(),
    }),
  ),
});

const requirementRepo = z.object({
  repo: z.string(),
  status: z.string(),
  reason: z.string(),
  controls: z.array(z.string()),
});

/** `GET /api/frameworks/{id}/requirements`. */
export const requirementsResponse = z.object({
  framework: z.string(),
  items: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      family: z.string(),
      status: z.string(),
      repositories: z.array(requirementRepo),
    }),
  ),
});

/** A finding of one run, as the drill-down shows it. */
export const runFindingSchema = z.object({
  runId: z.number(),
  fingerprint: z.string(),
  checkId: z.string(),
  severity: z.string(),
  outcome: z.string(),
  waived: z.boolean(),
  resource: z.string(),
  file: z.string(),
  line: z.number().nullable(),
  message: z.string(),
});

const controlEvidence = z
  .object({
    path: z.string(),
    maxAgeDays: z.number(),
    sha256: z.string().optional(),
    collectedAt: z.string().optional(),
    fresh: z.boolean(),
    reason: z.string(),
  })
  .nullable();

/** A control of one run with its checks and the open findings behind them. */
export const controlOfRunSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.string(),
  reason: z.string(),
  evidence: controlEvidence,
  checks: z.array(z.object({ id: z.string(), outcome: z.string(), findings: z.array(runFindingSchema) })),
});

/** `GET /api/frameworks/{id}/requirements/{req}`. */
export const requirementDetailResponse = z.object({
  framework: z.string(),
  requirement: z.object({ id: z.string(), title: z.string(), family: z.string(), status: z.string() }),
  repositories: z.array(
    requirementRepo.extend({
      runId: z.number(),
      recordedAt: z.string(),
      controls: z.array(controlOfRunSchema),
    }),
  ),
});

/** `GET /api/controls/{id}`. */
export const controlDetailResponse = z.object({
  controlId: z.string(),
  repositories: z.array(
    z.object({ repo: z.string(), runId: z.number(), recordedAt: z.string(), control: controlOfRunSchema }),
  ),
});

/** A finding's lifecycle row. */
export const findingSchema = z.object({
  repo: z.string(),
  fingerprint: z.string(),
  checkId: z.string(),
  severity: z.string(),
  outcome: z.string(),
  waived: z.boolean(),
  resource: z.string(),
  file: z.string(),
  line: z.number().nullable(),
  message: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  lastSeenRunId: z.number(),
  resolvedAt: z.string().nullable(),
  resolvedRunId: z.number().nullable(),
});

/** `GET /api/findings`. */
export const findingsResponse = z.object({
  total: z.number(),
  items: z.array(findingSchema.extend({ ageDays: z.number() })),
});

/** A run with its envelope digest and log position. */
export const runSchema = z.object({
  id: z.number(),
  repo: z.string(),
  runUuid: z.string(),
  recordedAt: z.string(),
  commit: z.string().nullable(),
  ref: z.string().nullable(),
  ciUrl: z.string().nullable(),
  exitCode: z.number(),
  failing: z.number(),
  findingsTotal: z.number(),
  entryId: z.number(),
  source: z.string(),
  logIndex: z.number(),
  envelopeSha256: z.string(),
  keyId: z.string().nullable(),
});

/** `GET /api/findings/{repo}/{fingerprint}`. */
export const findingDetailResponse = z.object({
  finding: findingSchema,
  history: z.array(
    z.object({
      runId: z.number(),
      recordedAt: z.string(),
      outcome: z.string(),
      waived: z.boolean(),
      line: z.number().nullable(),
    }),
  ),
  lastSeenRun: runSchema.extend({ diagnostics: z.array(z.unknown()) }).optional(),
});

/** `GET /api/runs`. */
export const runsResponse = z.object({ total: z.number(), items: z.array(runSchema) });

/** `GET /api/runs/{id}`. */
export const runDetailResponse = z.object({
  run: runSchema.extend({ diagnostics: z.array(z.unknown()) }),
  frameworks: z.array(
    z.object({
      runId: z.number(),
      framework: z.string(),
      passing: z.number(),
      inScope: z.number(),
      percent: z.number(),
      counts: statusCounts,
    }),
  ),
  controls: z.array(
    z.object({
      runId: z.number(),
      controlId: z.string(),
      title: z.string(),
      status: z.string(),
      reason: z.string(),
      checks: z.array(z.object({ id: z.string(), outcome: z.string() })),
      satisfies: z.record(z.string(), z.array(z.string())),
      evidence: controlEvidence,
    }),
  ),
});

/** `GET /api/entries/{id}/inclusion`. */
export const inclusionResponse = z.object({
  entryId: z.number(),
  source: z.string().describe('server or file'),
  index: z.number(),
  envelopeSha256: z.string(),
  leafHash: z.string(),
  leafMatchesIndex: z.boolean(),
  treeSize: z.number(),
  rootHash: z.string(),
  proof: z.array(z.string()),
  checkpoint: z.string(),
  included: z.boolean(),
  checkpointSignature: z.object({ name: z.string(), ok: z.boolean(), detail: z.string() }),
});

/** `GET /api/log/checkpoint`. */
export const checkpointResponse = z.object({
  size: z.number(),
  rootHash: z.string(),
  text: z.string(),
  origin: z.string(),
  publicKeyPem: z.string().nullable(),
});

/** A registered repository. */
export const repositorySchema = z.object({
  id: z.number(),
  name: z.string(),
  publicKeyPem: z.string().nullable(),
  keyId: z.string().nullable(),
  createdAt: z.string(),
});

/** `GET /api/repositories`. */
export const repositoriesResponse = z.object({ items: z.array(repositorySchema) });

/** `GET /api/waivers`. */
export const waiversResponse = z.object({
  items: z.array(
    z.object({
      repo: z.string(),
      checkId: z.string(),
      resource: z.string(),
      reason: z.string(),
      owner: z.string(),
      expires: z.string(),
      runId: z.number(),
      daysLeft: z.number().nullable(),
    }),
  ),
});

/** `GET /api/evidence`. */
export const evidenceResponse = z.object({
  items: z.array(
    z.object({
      repo: z.string(),
      controlId: z.string(),
      path: z.string(),
      maxAgeDays: z.number(),
      sha256: z.string().nullable(),
      collectedAt: z.string().nullable(),
      dueAt: z.string().nullable(),
      daysLeft: z.number().nullable(),
      status: z.string(),
      entryId: z.number().nullable(),
    }),
  ),
});

/** `GET /api/alerts`. */
export const alertsResponse = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      subject: z.string(),
      message: z.string(),
      details: z.unknown(),
      createdAt: z.string(),
      deliveries: z.array(
        z.object({
          webhook: z.string(),
          status: z.string(),
          attempts: z.number(),
          lastError: z.string().nullable(),
        }),
      ),
    }),
  ),
});

/** `GET /api/users`. */
export const usersResponse = z.object({ items: z.array(userSchema.extend({ createdAt: z.string() })) });

/** `POST /api/users`. */
export const userCreatedResponse = z.object({ user: userSchema, oneTimePassword: z.string() });

/** `GET /api/repositories/{name}/tokens`. */
export const tokensResponse = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      prefix: z.string(),
      createdAt: z.string(),
      revokedAt: z.string().nullable(),
      lastUsedAt: z.string().nullable(),
    }),
  ),
});

/** `POST /api/repositories/{name}/tokens`: the token is in this body only. */
export const tokenCreatedResponse = z.object({ id: z.number(), token: z.string(), prefix: z.string() });

/** `{ status }` answers of state-changing routes. */
export const statusResponse = z.object({ status: z.string() });

export type Session = z.output<typeof sessionResponse>;
export type Overview = z.output<typeof overviewResponse>;
export type History = z.output<typeof historyResponse>;
export type Requirements = z.output<typeof requirementsResponse>;
export type RequirementDetail = z.output<typeof requirementDetailResponse>;
export type ControlDetail = z.output<typeof controlDetailResponse>;
export type ControlOfRun = z.output<typeof controlOfRunSchema>;
export type RunFinding = z.output<typeof runFindingSchema>;
export type Findings = z.output<typeof findingsResponse>;
export type FindingDetail = z.output<typeof findingDetailResponse>;
export type Runs = z.output<typeof runsResponse>;
export type Run = z.output<typeof runSchema>;
export type RunDetail = z.output<typeof runDetailResponse>;
export type Inclusion = z.output<typeof inclusionResponse>;
export type Checkpoint = z.output<typeof checkpointResponse>;
export type Repositories = z.output<typeof repositoriesResponse>;
export type Waivers = z.output<typeof waiversResponse>;
export type ManualEvidence = z.output<typeof evidenceResponse>;
export type Alerts = z.output<typeof alertsResponse>;
export type Users = z.output<typeof usersResponse>;
export type UserCreated = z.output<typeof userCreatedResponse>;
export type Tokens = z.output<typeof tokensResponse>;
export type TokenCreated = z.output<typeof tokenCreatedResponse>;
export type StatusBody = z.output<typeof statusResponse>;
