import { shannonEntropy } from './entropy.js';
import { maskedPreview } from './mask.js';
import type { Allowlist, SecretRule, SecretRuleSet } from './rule.js';

/**
 * Text to scan: a working-tree file, or the added lines of one file in one commit.
 * `lineNumbers[i]` is the file line of text line `i` (0-based) when the text is not the whole file.
 */
export interface Fragment {
  text: string;
  /** POSIX path relative to the scan root. */
  path: string;
  commit?: string;
  lineNumbers?: readonly number[];
}

/** An inline `evident:allow secret reason="..."` comment that covers a match. */
export interface InlineAllow {
  reason: string;
  /** File line of the comment. */
  line: number;
}

/**
 * One secret found. `secret` is the plaintext and lives only in memory: everything that leaves the
 * process uses `preview` (masked) or a salted hash (see salt.ts).
 */
export interface SecretMatch {
  rule: SecretRule;
  secret: string;
  /** `[start, end)` of the secret in the fragment text (UTF-16 offsets). */
  start: number;
  end: number;
  /** 1-based file line and UTF-16 column of the secret's first character; `endLine` of its last. */
  line: number;
  column: number;
  endLine: number;
  entropy: number;
  /** The matched text with the secret masked (see mask.ts). */
  preview: string;
  inlineAllow?: InlineAllow;
}

/** A note about the fragment that the user should see (an allow comment without a reason). */
export interface DetectNote {
  line: number;
  message: string;
}

/** Lines longer than this are scanned in windows around keyword hits, never whole. */
const LONG_LINE = 4096;
const WINDOW_BEFORE = 1024;
const WINDOW_AFTER = 3072;
/** A multi-line match (PEM block) is looked for in this many characters after its keyword. */
const MULTILINE_SPAN = 64 * 1024;

const ALLOW_COMMENT = /evident:allow\s+secret\b(?:[^\n"]*?\breason\s*=\s*"([^"\n]*)")?/;

const escapeLiteral = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Finds secrets in text with a compiled rule set, the way gitleaks v8 does (keywords, regex,
 * secretGroup, entropy, path, allowlists with OR/AND conditions and secret/match/line targets,
 * stopwords), in linear time: keyword hits (a literal alternation, no backtracking) select the lines
 * a rule's RE2 pattern is tested on; only lines that test true are matched with captures. Overlapping
 * matches of different rules keep the earlier rule. Reusable across fragments; not thread-safe.
 */
export class SecretDetector {
  private readonly keywordRe: RegExp | undefined;
  private readonly rulesByKeyword = new Map<string, number[]>();
  private readonly keywordless: number[] = [];
  private readonly rulesByHit = new Map<string, number[]>();

  constructor(readonly ruleSet: SecretRuleSet) {
    ruleSet.rules.forEach((rule, i) => {
      if (!rule.regex) return;
      if (rule.keywords.length === 0) {
        this.keywordless.push(i);
        return;
      }
      for (const k of rule.keywords) {
        const list = this.rulesByKeyword.get(k) ?? [];
        list.push(i);
        this.rulesByKeyword.set(k, list);
      }
    });
    const words = [...this.rulesByKeyword.keys()].sort((a, b) => b.length - a.length);
    // Keywords matching at one position are prefixes of the longest one there: a hit on a keyword
    // stands for the keywords that are its prefixes too.
    for (const w of words) {
      const rules = new Set<number>();
      for (const k of words) if (w.startsWith(k)) for (const ri of this.rulesByKeyword.get(k)!) rules.add(ri);
      this.rulesByHit.set(
        w,
        [...rules].sort((a, b) => a - b),
      );
    }
    // A literal alternation: V8 matches it without nested backtracking, in time linear in the text.
    this.keywordRe = words.length ? new RegExp(words.map(escapeLiteral).join('|'), 'gi') : undefined;
  }

  /** Rules with a `path` but no `regex` whose path pattern matches `path` (a credential file by name). */
  pathOnlyRules(path: string): SecretRule[] {
    return this.ruleSet.rules.filter((r) => !r.regex && r.path?.test(path) && !this.allowedPath(r, path));
  }

  private allowedPath(rule: SecretRule, path: string): boolean {
    return this.allowlistsFor(rule).some(
      (a) =>
        a.paths.length > 0 &&
        a.paths.some((p) => p.test(path)) &&
        (a.condition === 'OR' ||
          (a.regexes.length === 0 && a.stopwords.length === 0 && a.commits.length === 0)),
    );
  }

  private allowlistsFor(rule: SecretRule): Allowlist[] {
    return [
      ...this.ruleSet.allowlists.filter((a) => !a.targetRules || a.targetRules.includes(rule.id)),
      ...rule.allowlists,
    ];
  }

  /** Secrets in one fragment, in text order, plus notes (allow comments without a reason). */
  detect(fragment: Fragment): { matches: SecretMatch[]; notes: DetectNote[] } {
    const { text } = fragment;
    const rules = this.ruleSet.rules;
    const active = rules.map((r) => !!r.regex && (!r.path || r.path.test(fragment.path)));
    if (!active.some(Boolean)) return { matches: [], notes: [] };
    const lines = new LineIndex(text);
    const hits = new Map<number, number[]>();
    if (this.keywordRe) {
      const re = this.keywordRe;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        re.lastIndex = m.index + 1; // keywords may overlap (`_password` and `password`)
        for (const ri of this.rulesByHit.get(m[0].toLowerCase()) ?? []) {
          if (!active[ri]) continue;
          const list = hits.get(ri) ?? [];
          list.push(m.index);
          hits.set(ri, list);
        }
      }
    }
    const found: { ri: number; m: SecretMatch }[] = [];
    const emit = (ri: number, base: number, spans: [number, number][]) => {
      const m = this.toMatch(rules[ri]!, fragment, lines, base, spans);
      if (m) found.push({ ri, m });
    };
    for (const ri of this.keywordless) {
      if (!active[ri]) continue;
      const re = rules[ri]!.regex!;
      if (!re.test(text)) continue;
      for (const m of re.exec(text)) emit(ri, 0, m.spans);
    }
    for (const [ri, positions] of hits) {
      const rule = rules[ri]!;
      for (const [from, to] of this.windows(rule, positions, lines, text.length)) {
        const window = text.slice(from, to);
        if (!rule.regex!.test(window)) continue;
        for (const m of rule.regex!.exec(window)) emit(ri, from, m.spans);
      }
    }
    // overlapping spans: a specific rule beats a generic one (as gitleaks does), then the earlier rule wins
    const generic = (ri: number) => (rules[ri]!.id.includes('generic') ? 1 : 0);
    found.sort((a, b) => generic(a.ri) - generic(b.ri) || a.ri - b.ri || a.m.start - b.m.start);
    const kept: SecretMatch[] = [];
    for (const { m } of found) {
      if (kept.some((k) => m.start < k.end && k.start < m.end)) continue;
      kept.push(m);
    }
    kept.sort((a, b) => a.start - b.start);
    const notes: DetectNote[] = [];
    for (const m of kept) this.inlineAllow(m, fragment, lines, notes);
    return { matches: kept, notes };
  }

  /** Text windows `[from, to)` a rule is run on: the lines of its keyword hits (merged), or spans after them. */
  private windows(
    rule: SecretRule,
    positions: number[],
    lines: LineIndex,
    length: number,
  ): [number, number][] {
    const raw: [number, number][] = [];
    for (const p of positions) {
      const li = lines.lineOf(p);
      const ls = lines.start(li);
      const le = lines.end(li);
      if (rule.multiline) {
        raw.push([Math.max(ls, p - WINDOW_BEFORE), Math.min(length, p + MULTILINE_SPAN)]);
      } else if (le - ls > LONG_LINE) {
        raw.push([Math.max(ls, p - WINDOW_BEFORE), Math.min(le, p + WINDOW_AFTER)]);
      } else {
        raw.push([ls, le]);
      }
    }
    raw.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const w of raw) {
      const last = merged.at(-1);
      if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
      else merged.push([w[0], w[1]]);
    }
    return merged;
  }

  private toMatch(
    rule: SecretRule,
    fragment: Fragment,
    lines: LineIndex,
    base: number,
    spans: [number, number][],
  ): SecretMatch | undefined {
    const text = fragment.text;
    const [ms, me] = spans[0]!;
    let span: [number, number] = [ms, me];
    if (rule.secretGroup !== undefined) {
      const g = spans[rule.secretGroup];
      if (!g || g[0] < 0) return undefined;
      span = g;
    } else {
      const g = spans.slice(1).find(([s, e]) => s >= 0 && e > s);
      if (g) span = g;
    }
    const start = base + span[0];
    const end = base + span[1];
    if (end <= start) return undefined;
    const secret = text.slice(start, end);
    const entropy = shannonEntropy(secret);
    if (rule.entropy !== undefined && entropy <= rule.entropy) return undefined;
    const matchText = text.slice(base + ms, base + me);
    const li = lines.lineOf(start);
    const lineText = text.slice(lines.start(li), lines.end(li));
    for (const a of this.allowlistsFor(rule)) {
      if (
        allowlisted(a, {
          secret,
          match: matchText,
          line: lineText,
          path: fragment.path,
          commit: fragment.commit,
        })
      )
        return undefined;
    }
    const lineNo = (i: number) => fragment.lineNumbers?.[i] ?? i + 1;
    return {
      rule,
      secret,
      start,
      end,
      line: lineNo(li),
      column: start - lines.start(li) + 1,
      endLine: lineNo(lines.lineOf(Math.max(start, end - 1))),
      entropy,
      preview: maskedPreview(matchText, start - (base + ms), end - (base + ms)),
    };
  }

  private inlineAllow(m: SecretMatch, fragment: Fragment, lines: LineIndex, notes: DetectNote[]): void {
    const li = lines.lineOf(m.start);
    for (const i of [li, li - 1]) {
      if (i < 0) continue;
      const lineText = fragment.text.slice(lines.start(i), lines.end(i));
      if (!lineText.includes('evident:allow')) continue;
      const c = ALLOW_COMMENT.exec(lineText);
      if (!c) continue;
      const line = fragment.lineNumbers?.[i] ?? i + 1;
      const reason = c[1]?.trim();
      if (!reason) {
        notes.push({
          line,
          message: 'evident:allow secret without reason="..." is ignored: say why the value is not a secret',
        });
        return;
      }
      m.inlineAllow = { reason, line };
      return;
    }
  }
}

/** True when allowlist `a` allows a finding (gitleaks semantics: OR any criterion, AND all given ones). */
function allowlisted(
  a: Allowlist,
  f: { secret: string; match: string; line: string; path: string; commit?: string },
): boolean {
  const checks: boolean[] = [];
  if (a.commits.length) checks.push(f.commit !== undefined && a.commits.some((c) => f.commit!.startsWith(c)));
  if (a.paths.length) checks.push(a.paths.some((p) => p.test(f.path)));
  if (a.regexes.length) {
    const target = a.regexTarget === 'match' ? f.match : a.regexTarget === 'line' ? f.line : f.secret;
    checks.push(a.regexes.some((r) => r.test(target)));
  }
  if (a.stopwords.length) {
    const low = f.secret.toLowerCase();
    checks.push(a.stopwords.some((w) => low.includes(w)));
  }
  if (checks.length === 0) return false;
  return a.condition === 'AND' ? checks.every(Boolean) : checks.some(Boolean);
}

/** Line starts of a text, computed once; lines end before `\n` (a trailing `\r` stays in the line). */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  start(line: number): number {
    return this.starts[line]!;
  }

  end(line: number): number {
    const next = this.starts[line + 1];
    return next === undefined ? this.text.length : next - 1;
  }
}
