// Verdicts and their combinators: what a rule concludes about one part of a subject, combined in one
// place with three-valued logic instead of per-check folds, and rendered from message templates
// (ESLint style: `messageId` + `data`) instead of hand-built texts.
import type { CheckResult, Subject } from './check.js';
import type { SourceLocation } from './location.js';

/** The outcomes a verdict can have. */
export type VerdictOutcome = 'pass' | 'fail' | 'unknown';

/** Data interpolated into a message template. */
export type MessageData = Readonly<Record<string, string | number>>;

/**
 * What a rule concluded about one part of a subject (a container, a companion, a statement).
 * The message is `messages[messageId]` with `{{key}}` replaced from `data`.
 */
export interface Verdict {
  readonly outcome: VerdictOutcome;
  readonly messageId: string;
  readonly data?: MessageData;
  /** Where the verdict points: wins over `path`. */
  readonly location?: SourceLocation;
  /** Model path (or input path) of the value the verdict is about, located by the result's `locate`. */
  readonly path?: string | readonly (string | number)[];
  /** Why a `pass` is only `unknown` (see {@link doubted}): appended as `, but <doubt>`. */
  readonly doubt?: string;
  /** Further verdicts of the same outcome whose messages follow this one's, `; `-joined. */
  readonly also?: readonly Verdict[];
}

/** Message templates by messageId: `{{name}}` placeholders, filled from verdict data. */
export type Messages = Readonly<Record<string, string>>;

/**
 * Messages every rule may use. `unknown-value`: a value not known statically (`data.name`, `data.reason`,
 * optional `data.consequence` starting with `: `); `invalid-value`: a value of the wrong type
 * (`data.reason` says what was found and expected); `value-true` / `value-false` / `not-boolean`: a
 * boolean that must be true (see requireTrue in src/checks/_lib/model-verdicts.ts).
 */
export const COMMON_MESSAGES: Messages = {
  'unknown-value': '{{where}}{{name}} is not known statically ({{reason}}){{consequence}}',
  'invalid-value': '{{where}}{{reason}}{{consequence}}',
  'doubtful-link': '{{reason}}',
  'value-true': '{{where}}{{name}} = true',
  'value-false': '{{where}}{{name}} is {{state}}',
  'not-boolean': '{{where}}{{name}} is not a boolean',
};

/** Fills `{{key}}` placeholders. Throws (a programming error) on a placeholder without data. */
export function formatMessage(template: string, data: MessageData = {}): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, key: string) => {
    const v = data[key];
    if (v === undefined) throw new Error(`message "${template}" has no data for {{${key}}}`);
    return String(v);
  });
}

/** The text of a verdict under `messages` (falling back to {@link COMMON_MESSAGES}). */
export function renderVerdict(v: Verdict, messages: Messages): string {
  const template = messages[v.messageId] ?? COMMON_MESSAGES[v.messageId];
  if (template === undefined) throw new Error(`no message '${v.messageId}'`);
  const data = { where: '', consequence: '', ...v.data };
  let text = formatMessage(template, data);
  if (v.doubt) text = `${text}, but ${v.doubt}`;
  for (const next of v.also ?? []) text = `${text}; ${renderVerdict(next, messages)}`;
  return text;
}

/** A verdict (shorthand constructor). */
export function verdict(
  outcome: VerdictOutcome,
  messageId: string,
  data?: MessageData,
  at?: { path?: Verdict['path']; location?: SourceLocation },
): Verdict {
  return { outcome, messageId, ...(data ? { data } : {}), ...at };
}

/**
 * Conjunction ("every part is fine"): `fail` when any part fails, else `unknown` when any is unknown,
 * else `pass`. With `join`, every verdict of the chosen outcome is listed (`also`); without it the
 * first speaks. `onPass` is the pass verdict (default: the passing parts joined); `onEmpty` is the
 * verdict when there are no parts (default `onPass`).
 */
export function allOf(
  parts: readonly Verdict[],
  options: { onPass?: Verdict; onEmpty?: Verdict; join?: boolean } = {},
): Verdict {
  if (parts.length === 0 && options.onEmpty) return options.onEmpty;
  const fails = parts.filter((v) => v.outcome === 'fail');
  const unknowns = parts.filter((v) => v.outcome === 'unknown');
  const chosen = fails.length ? fails : unknowns.length ? unknowns : undefined;
  if (chosen) return options.join ? joined(chosen) : chosen[0]!;
  if (options.onPass) return options.onPass;
  if (parts.length === 0) throw new Error('allOf over no parts needs onPass or onEmpty');
  return joined(parts);
}

/**
 * Disjunction ("some part makes it fine"): the first `pass`, else the first `unknown`, else the first
 * part (a `fail`), else `onNone`.
 */
export function anyOf(parts: readonly Verdict[], onNone: Verdict): Verdict {
  return (
    parts.find((v) => v.outcome === 'pass') ??
    parts.find((v) => v.outcome === 'unknown') ??
    parts[0] ??
    onNone
  );
}

/**
 * A part that counts only if a link holds (`applies && part` in three-valued logic). `decides` is the
 * outcome the part asserts through the link: `pass` when the linked setting would make the subject
 * good (a public access block setting a flag), `fail` when it would make it bad (a public ACL). Such a
 * verdict whose link is doubtful (`doubt` set) becomes `unknown`, naming the doubt; others stand.
 */
export function doubted(
  part: Verdict,
  doubt: string | undefined,
  decides: 'pass' | 'fail' = 'pass',
): Verdict {
  if (!doubt || part.outcome !== decides) return part;
  return { ...part, outcome: 'unknown', doubt };
}

/** The first verdict with the rest of the same outcome in `also`. */
function joined(verdicts: readonly Verdict[]): Verdict {
  const [first, ...rest] = verdicts;
  return rest.length ? { ...first!, also: [...(first!.also ?? []), ...rest] } : first!;
}

/** A verdict's location: `location`, else `locate(path)` when a path is set, else undefined. */
export function verdictLocation(
  v: Verdict,
  locate: (path: string | readonly (string | number)[]) => SourceLocation,
): SourceLocation | undefined {
  if (v.location) return v.location;
  if (v.path !== undefined) return locate(v.path);
  const first = v.also?.find((x) => x.location || x.path !== undefined);
  return first ? verdictLocation(first, locate) : undefined;
}

/**
 * The CheckResult of a subject for a verdict: message rendered from `messages`, location from the
 * verdict (see {@link verdictLocation}) or, when it has none, the subject's own.
 */
export function toResult(
  target: { subject: Subject; locate(path: string | readonly (string | number)[]): SourceLocation },
  v: Verdict,
  messages: Messages,
): CheckResult {
  const location = verdictLocation(v, (p) => target.locate(p));
  return {
    subject: target.subject,
    outcome: v.outcome,
    message: renderVerdict(v, messages),
    messageId: v.messageId,
    ...(location ? { location } : {}),
  };
}
