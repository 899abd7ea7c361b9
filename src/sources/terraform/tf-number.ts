// Terraform numbers exactly as Terraform computes them. cty (Terraform's type system) holds every
// number as a Go math/big.Float: binary floating point with 512 bits of mantissa for literals and
// the results of arithmetic on them, rounded to nearest even, and it prints and compares numbers by
// their shortest decimal text at that precision (big.Float.Text('f', -1); cty's rawNumberEqual).
// A decimal library cannot reproduce this: Terraform prints 0.1 * 0.1 as
// 0.0100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001
// (`terraform console`, Terraform 1.11.4), where decimal arithmetic gives 0.01. So this module is a
// small arbitrary-precision binary float on BigInt, following math/big's algorithms (rounding,
// decimal conversion, shortest formatting: src/math/big/{float,decimal,ftoa}.go).

/** Mantissa bits of a number parsed from HCL source or produced by arithmetic (cty.ParseNumberVal). */
export const PRECISION = 512;

/**
 * A finite or infinite binary floating-point number: `(-1)^neg * mant * 2^exp` rounded to `prec`
 * mantissa bits, or ±Inf. Immutable.
 */
export class TfNumber {
  private constructor(
    readonly neg: boolean,
    readonly mant: bigint,
    readonly exp: number,
    readonly prec: number,
    readonly inf: boolean,
  ) {}

  /** `mant * 2^exp` (sign `neg`) rounded to `prec` bits, nearest even. */
  static of(neg: boolean, mant: bigint, exp: number, prec = PRECISION): TfNumber {
    if (mant === 0n) return new TfNumber(neg, 0n, 0, prec, false);
    const [m, e] = round(mant, exp, prec);
    return new TfNumber(neg, m, e, prec, false);
  }

  static infinity(neg: boolean): TfNumber {
    return new TfNumber(neg, 0n, 0, PRECISION, true);
  }

  /**
   * Parses a decimal number literal (`1`, `0.1`, `1e1`, `-2.5E-3`, `.5`, `5.`) as
   * big.ParseFloat(s, 10, 512, ToNearestEven) does; undefined for anything else (`0x10`, ` 1`, `1_000`).
   * `Inf`/`+Inf`/`-Inf` parse to infinities (Terraform's tonumber accepts them).
   */
  static parse(text: string): TfNumber | undefined {
    const inf = /^([+-]?)Inf$/.exec(text);
    if (inf) return TfNumber.infinity(inf[1] === '-');
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!m) return undefined;
    const int = m[2] ?? '';
    const frac = m[3] ?? '';
    if (int === '' && frac === '') return undefined;
    const neg = m[1] === '-';
    const digits = BigInt(`${int}${frac}` || '0');
    const e10 = Number(m[4] ?? '0') - frac.length;
    if (Math.abs(e10) > 100000) return undefined;
    if (e10 >= 0) return TfNumber.of(neg, digits * 10n ** BigInt(e10), 0);
    return divide(neg, digits, 0, 10n ** BigInt(-e10), 0, PRECISION);
  }

  /** A JavaScript number as a 53-bit float (cty.NumberFloatVal; math functions such as pow return these). */
  static fromJs(n: number): TfNumber {
    if (!Number.isFinite(n)) return TfNumber.infinity(n < 0);
    if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER)
      return TfNumber.of(n < 0 || Object.is(n, -0), BigInt(Math.abs(n)), 0, 53);
    const [mant, exp] = decompose(Math.abs(n));
    return TfNumber.of(n < 0, mant, exp, 53);
  }

  /** An integer (exact; precision 512 or what it needs). */
  static fromBigInt(n: bigint): TfNumber {
    const abs = n < 0n ? -n : n;
    return TfNumber.of(n < 0n, abs, 0, Math.max(PRECISION, bitLength(abs)));
  }

  isZero(): boolean {
    return !this.inf && this.mant === 0n;
  }

  isInteger(): boolean {
    return !this.inf && (this.exp >= 0 || this.mant % (1n << BigInt(-this.exp)) === 0n);
  }

  /** The integer part, truncated toward zero (big.Float.Int); undefined for infinities. */
  truncate(): bigint | undefined {
    if (this.inf) return undefined;
    const abs = this.exp >= 0 ? this.mant << BigInt(this.exp) : this.mant >> BigInt(-this.exp);
    return this.neg ? -abs : abs;
  }

  negate(): TfNumber {
    return new TfNumber(!this.neg, this.mant, this.exp, this.prec, this.inf);
  }

  add(b: TfNumber): TfNumber | undefined {
    const prec = Math.max(this.prec, b.prec);
    if (this.inf || b.inf) {
      if (this.inf && b.inf && this.neg !== b.neg) return undefined; // Inf - Inf
      return this.inf ? this : b;
    }
    const e = Math.min(this.exp, b.exp);
    const x = signed(this) << BigInt(this.exp - e);
    const y = signed(b) << BigInt(b.exp - e);
    const sum = x + y;
    if (sum === 0n) return TfNumber.of(this.neg && b.neg, 0n, 0, prec);
    return TfNumber.of(sum < 0n, sum < 0n ? -sum : sum, e, prec);
  }

  sub(b: TfNumber): TfNumber | undefined {
    return this.add(b.negate());
  }

  mul(b: TfNumber): TfNumber | undefined {
    const neg = this.neg !== b.neg;
    if (this.inf || b.inf) return this.isZero() || b.isZero() ? undefined : TfNumber.infinity(neg);
    return TfNumber.of(neg, this.mant * b.mant, this.exp + b.exp, Math.max(this.prec, b.prec));
  }

  /** Quotient; `undefined` for 0/0 and Inf/Inf (Terraform: "can't divide zero by zero or infinity by infinity"). */
  quo(b: TfNumber): TfNumber | undefined {
    const neg = this.neg !== b.neg;
    if ((this.isZero() && b.isZero()) || (this.inf && b.inf)) return undefined;
    if (this.inf || b.isZero()) return TfNumber.infinity(neg);
    if (b.inf || this.isZero()) return TfNumber.of(neg, 0n, 0);
    return divide(neg, this.mant, this.exp, b.mant, b.exp, Math.max(this.prec, b.prec));
  }

  /** cty's Modulo: `a - b * trunc(a / b)`; `a % 0` is `a` (cty.Value.Modulo). */
  mod(b: TfNumber): TfNumber | undefined {
    if (this.inf || b.inf) return this.mul(b);
    if (b.isZero()) return this;
    const q = this.quo(b)?.truncate();
    if (q === undefined) return undefined;
    const work = b.mul(TfNumber.fromBigInt(q));
    return work ? this.sub(work) : undefined;
  }

  /** -1, 0 or 1. */
  cmp(b: TfNumber): number {
    if (this.inf || b.inf) {
      const x = this.inf ? (this.neg ? -2 : 2) : 0;
      const y = b.inf ? (b.neg ? -2 : 2) : 0;
      if (this.inf && b.inf) return Math.sign(x - y);
      return this.inf ? Math.sign(x) : -Math.sign(y);
    }
    const d = this.sub(b) as TfNumber;
    return d.isZero() ? 0 : d.neg ? -1 : 1;
  }

  /** Equality as cty defines it: equal shortest texts, with -0 equal to 0 (cty rawNumberEqual). */
  equals(b: TfNumber): boolean {
    const t = (x: TfNumber) => {
      const s = x.toString();
      return s === '-0' ? '0' : s;
    };
    return t(this) === t(b);
  }

  /** Nearest JavaScript number (for facts: checks compare ports and days as numbers). */
  toJs(): number {
    if (this.inf) return this.neg ? -Infinity : Infinity;
    const n = Number(this.toString());
    return n;
  }

  /** big.Float.Text('f', -1): shortest decimal that rounds back to this value at its precision. */
  toString(): string {
    if (this.inf) return this.neg ? '-Inf' : '+Inf';
    const sign = this.neg ? '-' : '';
    if (this.mant === 0n) return `${sign}0`;
    const d = toDecimal(this.mant, this.exp);
    roundShortest(d, this.mant, this.exp, this.prec);
    return sign + formatF(d);
  }
}

function signed(x: TfNumber): bigint {
  return x.neg ? -x.mant : x.mant;
}

/** Number of bits of a non-negative BigInt. */
export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Rounds `mant * 2^exp` to `prec` bits, nearest even; returns the new mantissa and exponent. */
function round(mant: bigint, exp: number, prec: number): [bigint, number] {
  const len = bitLength(mant);
  if (len <= prec) return [mant, exp];
  let shift = len - prec;
  let q = mant >> BigInt(shift);
  const rem = mant & ((1n << BigInt(shift)) - 1n);
  const half = 1n << BigInt(shift - 1);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  if (bitLength(q) > prec) {
    q >>= 1n;
    shift += 1;
  }
  return [q, exp + shift];
}

/** `(a * 2^ea) / (b * 2^eb)` rounded to `prec` bits (a sticky bit keeps the rounding exact). */
function divide(neg: boolean, a: bigint, ea: number, b: bigint, eb: number, prec: number): TfNumber {
  const k = Math.max(0, prec + 2 + bitLength(b) - bitLength(a));
  const num = a << BigInt(k);
  const q = num / b;
  const sticky = num % b === 0n ? 0n : 1n;
  return TfNumber.of(neg, (q << 1n) | sticky, ea - eb - k - 1, prec);
}

/** A finite positive double as `[mantissa, exponent]` with value mantissa * 2^exponent. */
function decompose(x: number): [bigint, number] {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return [frac, -1074];
  return [frac | (1n << 52n), biased - 1075];
}

/** A decimal number as math/big's `decimal`: digits (no trailing zeros) and the decimal point position. */
interface Decimal {
  mant: string;
  /** Digits before the decimal point (may be negative or exceed mant.length). */
  exp: number;
}

/** The exact decimal of `mant * 2^exp` (mant > 0), trailing zeros trimmed (decimal.init). */
function toDecimal(mant: bigint, exp: number): Decimal {
  let digits: string;
  let point: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    point = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    point = digits.length + exp;
  }
  digits = digits.replace(/0+$/, '');
  return { mant: digits, exp: point };
}

function at(d: Decimal, i: number): string {
  return i >= 0 && i < d.mant.length ? (d.mant[i] as string) : '0';
}

function trim(d: Decimal): void {
  d.mant = d.mant.replace(/0+$/, '');
  if (d.mant === '') d.exp = 0;
}

function roundDown(d: Decimal, n: number): void {
  if (n < 0 || n >= d.mant.length) return;
  d.mant = d.mant.slice(0, n);
  trim(d);
}

function roundUp(d: Decimal, n: number): void {
  if (n < 0 || n >= d.mant.length) return;
  let i = n;
  while (i > 0 && d.mant[i - 1] === '9') i--;
  if (i === 0) {
    d.mant = '1';
    d.exp++;
    return;
  }
  d.mant = d.mant.slice(0, i - 1) + String(Number(d.mant[i - 1]) + 1);
}

function roundHalfEven(d: Decimal, n: number): void {
  if (n < 0 || n >= d.mant.length) return;
  const up =
    d.mant[n] === '5' && n + 1 === d.mant.length
      ? n > 0 && Number(d.mant[n - 1]) % 2 === 1
      : (d.mant[n] as string) >= '5';
  if (up) roundUp(d, n);
  else roundDown(d, n);
}

/** math/big roundShortest: fewest digits that still round to the value at precision `prec`. */
function roundShortest(d: Decimal, mant: bigint, exp: number, prec: number): void {
  const s = bitLength(mant) - (prec + 1);
  let m = mant;
  let e = exp;
  if (s < 0) m <<= BigInt(-s);
  else if (s > 0) m >>= BigInt(s);
  e += s;
  const lower = toDecimal(m - 1n, e);
  const upper = toDecimal(m + 1n, e);
  const inclusive = (m & 2n) === 0n;
  for (let i = 0; i < d.mant.length; i++) {
    const c = d.mant[i] as string;
    const l = at(lower, i);
    const u = at(upper, i);
    const okdown = l !== c || (inclusive && i + 1 === lower.mant.length);
    const okup = c !== u && (inclusive || Number(c) + 1 < Number(u) || i + 1 < upper.mant.length);
    if (okdown && okup) {
      roundHalfEven(d, i + 1);
      return;
    }
    if (okdown) {
      roundDown(d, i + 1);
      return;
    }
    if (okup) {
      roundUp(d, i + 1);
      return;
    }
  }
}

/** big.Float %f with the shortest precision: integer digits (zero padded), then the fraction. */
function formatF(d: Decimal): string {
  let out = '';
  if (d.exp > 0) {
    const m = Math.min(d.mant.length, d.exp);
    out += d.mant.slice(0, m) + '0'.repeat(d.exp - m);
  } else out += '0';
  const prec = Math.max(d.mant.length - d.exp, 0);
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) out += at(d, d.exp + i);
  }
  return out;
}
