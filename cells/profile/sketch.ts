// Mergeable summaries for the bounded profile (bounded.ts): each batch of rows is reduced
// by polars to a few numbers or a short list, and these merge here, in any order, into the
// figures of the whole column. Which summary, and why:
//
// - Sums: Neumaier's compensated sum, so the order of batches does not move the result.
// - Moments (mean, variance, skewness, kurtosis): each batch's count, mean and central
//   moment sums M2..M4, merged by Pébay's pairwise formulas (Pébay, "Formulas for robust,
//   one-pass parallel computation of covariances and arbitrary-order statistical moments",
//   Sandia SAND2008-6212, eq. 3.1 and 2.5; Chan, Golub and LeVeque 1979 for M2). Exact up
//   to rounding, unlike sums of powers, which cancel catastrophically.
// - Distinct counts: a bottom-k ("k minimum values") sketch of 64-bit hashes (Bar-Yossef et
//   al., "Counting distinct elements in a data stream", RANDOM 2002; the unbiased estimator
//   (k − 1)/U(k) and its error from Beyer et al., "On synopses for distinct-value estimation
//   under multiset operations", SIGMOD 2007). polars hashes and keeps each batch's k
//   smallest distinct hashes; the union of two sketches is a merge of sorted lists. Below
//   k distinct values it holds every hash, and the count is exact up to hash collisions.
// - Quantiles: each sorted batch keeps every ⌈n/k⌉-th value, weighted by the values it
//   stands for. A value's rank read from the union is short by less than ⌈n_b/k⌉ for each
//   batch b, so a quantile is the value at a rank within Σ⌈n_b/k⌉ of the one asked for: a
//   deterministic bound, stated with the figure (the equi-depth summaries of Manku,
//   Rajagopalan and Lindsay, SIGMOD 1998, without their compaction: one batch keeps k values).
// - Most frequent values: each batch's most frequent repeating values with exact batch
//   counts (a Misra–Gries summary of the batch; Agarwal et al., "Mergeable summaries",
//   PODS 2012): a value left out of a batch's list occurs there at most as often as the
//   list's last entry. The winners are then recounted exactly in a second pass.

/** Neumaier's compensated sum. */
export class Sum {
  private sum = 0;
  private compensation = 0;
  add(t: number): void {
    const next = this.sum + t;
    this.compensation += Math.abs(this.sum) >= Math.abs(t) ? (this.sum - next) + t : (t - next) + this.sum;
    this.sum = next;
  }
  get value(): number {
    return this.sum + this.compensation;
  }
}

/** Count, mean and the sums of squared, cubed and fourth powers of deviations from the mean. */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
  m3: number;
  m4: number;
}

export const NO_MOMENTS: Moments = { n: 0, mean: 0, m2: 0, m3: 0, m4: 0 };

/**
 * A batch's moments from what polars computes: its count, mean, sample variance, biased
 * skewness g1 = m3/m2^1.5 and biased (non-excess) kurtosis b2 = m4/m2² (m_k = M_k / n).
 */
export function batchMoments(n: number, mean: number | null, variance: number | null, skew: number | null, kurtosis: number | null): Moments {
  if (n === 0 || mean === null) return NO_MOMENTS;
  const m2 = n > 1 && variance !== null ? variance * (n - 1) : 0;
  const per = m2 / n;
  const ok = (v: number | null) => v !== null && Number.isFinite(v) && per > 0;
  return { n, mean, m2, m3: ok(skew) ? skew! * per ** 1.5 * n : 0, m4: ok(kurtosis) ? kurtosis! * per ** 2 * n : 0 };
}

/** Pébay's pairwise update (see the note at the top). */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  const dn = d / n;
  const mean = a.mean + dn * b.n;
  const m2 = a.m2 + b.m2 + d * dn * a.n * b.n;
  const m3 = a.m3 + b.m3 + d * dn * dn * a.n * b.n * (a.n - b.n) + 3 * dn * (a.n * b.m2 - b.n * a.m2);
  const m4 = a.m4 + b.m4 + d * dn ** 3 * a.n * b.n * (a.n * a.n - a.n * b.n + b.n * b.n)
    + 6 * dn * dn * (a.n * a.n * b.m2 + b.n * b.n * a.m2) + 4 * dn * (a.n * b.m3 - b.n * a.m3);
  return { n, mean, m2, m3, m4 };
}

/** Standard deviation, skewness and excess kurtosis as polars (and pandas) define them. */
export function momentFigures(m: Moments): { mean: number | null; std: number | null; skew: number | null; kurtosis: number | null } {
  const { n } = m;
  if (n === 0) return { mean: null, std: null, skew: null, kurtosis: null };
  const [p2, p3, p4] = [m.m2 / n, m.m3 / n, m.m4 / n];
  const skew = n > 2 && p2 > 0 ? (Math.sqrt(n * (n - 1)) / (n - 2)) * (p3 / p2 ** 1.5) : null;
  const kurtosis = n > 3 && p2 > 0 ? (1 / ((n - 2) * (n - 3))) * ((n ** 2 - 1) * (p4 / p2 ** 2) - 3 * (n - 1) ** 2) : null;
  return { mean: m.mean, std: n > 1 ? Math.sqrt(m.m2 / (n - 1)) : null, skew, kurtosis };
}

/** Bottom-k sketch of hashes scaled to [0, 1) (see the note at the top). */
export class DistinctSketch {
  private values = new Float64Array(0);
  readonly k: number;
  constructor(k: number) {
    this.k = k;
  }

  /** A batch's smallest distinct scaled hashes, in any order. */
  add(hashes: readonly number[]): void {
    const batch = Float64Array.from(hashes).sort();
    const out = new Float64Array(Math.min(this.k, this.values.length + batch.length));
    let [i, j, o] = [0, 0, 0];
    const a = this.values;
    while (o < out.length && (i < a.length || j < batch.length)) {
      const next = j >= batch.length || (i < a.length && a[i]! <= batch[j]!) ? a[i++]! : batch[j++]!;
      if (o === 0 || out[o - 1] !== next) out[o++] = next;
    }
    this.values = out.subarray(0, o);
  }

  /** Below the largest kept hash every distinct hash is kept: polars need send no more. */
  get threshold(): number {
    return this.values.length < this.k ? 1 : this.values[this.k - 1]!;
  }

  /**
   * The estimate and its relative error at three standard errors (1/√(k − 2) each, Beyer
   * et al.); exact (error 0) while fewer than k distinct hashes were seen.
   */
  estimate(): { distinct: number; relativeError: number } {
    if (this.values.length < this.k) return { distinct: this.values.length, relativeError: 0 };
    return { distinct: Math.round((this.k - 1) / this.values[this.k - 1]!), relativeError: 3 / Math.sqrt(this.k - 2) };
  }
}

/** A weighted sample of sorted batches (see the note at the top). */
export class QuantileSummary {
  private values: number[] = [];
  private weights: number[] = [];
  /** Σ⌈n_b/k⌉: how far from the asked rank a quantile's rank may be. */
  rankError = 0;
  total = 0;

  /** Values at ranks ⌊i·n/k⌋ (i = 0 … k−1, k = min(n, the batch's k)) of a sorted batch of n values. */
  add(sample: readonly number[], n: number): void {
    if (n === 0) return;
    const positions = sample.map((_, i) => Math.floor((i * n) / sample.length));
    sample.forEach((v, i) => {
      this.values.push(v);
      this.weights.push((i + 1 < sample.length ? positions[i + 1]! : n) - positions[i]!);
    });
    this.total += n;
    // Each kept value stands for at most ⌈n/k⌉ values from itself up; a batch of at most
    // k values is kept whole, and its ranks are exact.
    this.rankError += Math.ceil(n / sample.length) - 1;
  }

  /** (value, weight) pairs, as value counts. */
  pairs(): { value: number; count: number }[] {
    return this.values.map((value, i) => ({ value, count: this.weights[i]! }));
  }

  get size(): number {
    return this.values.length;
  }
}

/** Candidates for a column's most frequent values, merged from batches' lists. */
export class HeavyHitters<K> {
  private counts = new Map<K, number>();
  /** A value in no batch's list occurs at most this often (Σ of each list's last count). */
  private unlisted = 0;
  /** The largest estimate dropped to keep the map small. */
  private dropped = 0;
  private readonly cap: number;
  constructor(cap: number) {
    this.cap = cap;
  }

  /** A batch's most frequent values with their counts; `floor`: a value left out occurs at most this often in the batch. */
  add(list: { key: K; count: number }[], floor: number): void {
    for (const { key, count } of list) this.counts.set(key, (this.counts.get(key) ?? 0) + count);
    this.unlisted += floor;
    if (this.counts.size > 2 * this.cap) this.trim();
  }

  private trim(): void {
    const sorted = [...this.counts].sort((a, b) => b[1] - a[1]);
    for (const [, c] of sorted.slice(this.cap)) this.dropped = Math.max(this.dropped, c);
    this.counts = new Map(sorted.slice(0, this.cap));
  }

  /**
   * The `n` best candidates, and how often a value among none of them may occur at most;
   * `exact` when no batch left a value out, so every count here is the value's own.
   */
  best(n: number): { keys: K[]; unlistedAtMost: number; exact: boolean } {
    const sorted = [...this.counts].sort((a, b) => b[1] - a[1]);
    const rest = sorted[n]?.[1] ?? 0;
    const exact = this.unlisted === 0 && this.dropped === 0;
    return { keys: sorted.slice(0, n).map(([k]) => k), unlistedAtMost: Math.max(rest, this.dropped) + this.unlisted, exact };
  }
}
