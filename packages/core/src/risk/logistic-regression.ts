/**
 * L2-regularised logistic regression on binary features, fitted by Newton's method (IRLS).
 * Deterministic: no random start, the same samples in the same order give the same weights bit
 * for bit. Identical feature patterns are pooled first, so 20 000 samples of 8 indicators cost
 * a few hundred rows per iteration.
 */

/** One sample: which features (0-based columns) are 1, and whether the outcome happened. */
export interface BinarySample {
  features: readonly number[];
  y: boolean;
}

/** A fitted model: log-odds = intercept + Σ weights[j] × x[j]. */
export interface LogisticFit {
  intercept: number;
  weights: number[];
  /** Standard errors from the inverse of the penalised Hessian (intercept first, then weights). */
  standardErrors: number[];
  iterations: number;
  converged: boolean;
  /** Log-likelihood of the samples at the fit (without the penalty), nats. */
  logLikelihood: number;
}

/**
 * Fits `columns` weights and an intercept. `l2` (≥ 0) penalises ½·l2·Σ w² on the weights, not the
 * intercept; a column that never varies gets weight 0 rather than a singular system. Stops when no
 * parameter moves more than `tolerance` or after `maxIterations`.
 */
export function fitLogistic(
  samples: readonly BinarySample[],
  columns: number,
  options: { l2?: number; maxIterations?: number; tolerance?: number } = {},
): LogisticFit {
  const l2 = Math.max(options.l2 ?? 1, 1e-8),
    maxIterations = options.maxIterations ?? 100,
    tolerance = options.tolerance ?? 1e-9;
  // pool identical patterns: x (with the intercept column 0), trials n, successes k
  const pooled = new Map<string, { x: number[]; n: number; k: number }>();
  for (const s of samples) {
    const x = new Array<number>(columns + 1).fill(0);
    x[0] = 1;
    for (const j of s.features) if (j >= 0 && j < columns) x[j + 1] = 1;
    const key = x.join('');
    const row = pooled.get(key) ?? pooled.set(key, { x, n: 0, k: 0 }).get(key)!;
    row.n++;
    if (s.y) row.k++;
  }
  const rows = [...pooled.values()];
  const d = columns + 1,
    n = samples.length,
    k = samples.filter((s) => s.y).length;
  const beta = new Array<number>(d).fill(0);
  beta[0] = Math.log((k + 0.5) / (n - k + 0.5));
  let iterations = 0,
    converged = false,
    hessian: number[][] = [];
  while (iterations < maxIterations) {
    iterations++;
    const grad = new Array<number>(d).fill(0);
    hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const r of rows) {
      const mu = logistic(dot(r.x, beta)),
        w = r.n * mu * (1 - mu);
      for (let a = 0; a < d; a++) {
        if (!r.x[a]) continue;
        grad[a] += r.k - r.n * mu;
        for (let b = 0; b < d; b++) if (r.x[b]) hessian[a][b] += w;
      }
    }
    for (let a = 1; a < d; a++) {
      grad[a] -= l2 * beta[a];
      hessian[a][a] += l2;
    }
    hessian[0][0] += 1e-12;
    const step = solveSymmetric(hessian, grad);
    // damp very long Newton steps (nearly separated data) so an iteration cannot overshoot far
    const longest = Math.max(...step.map(Math.abs));
    if (longest > 5) for (let a = 0; a < d; a++) step[a] *= 5 / longest;
    for (let a = 0; a < d; a++) beta[a] += step[a];
    if (Math.max(...step.map(Math.abs)) < tolerance) {
      converged = true;
      break;
    }
  }
  const standardErrors = beta.map((_, a) => {
    const e = new Array<number>(d).fill(0);
    e[a] = 1;
    return Math.sqrt(Math.max(0, solveSymmetric(hessian, e)[a]));
  });
  let logLikelihood = 0;
  for (const r of rows) {
    const eta = dot(r.x, beta);
    logLikelihood += r.k * eta - r.n * softplus(eta);
  }
  return { intercept: beta[0], weights: beta.slice(1), standardErrors, iterations, converged, logLikelihood };
}

/** The logistic function 1 / (1 + e^-x), without overflow. */
export function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

const softplus = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)));
const dot = (x: readonly number[], b: readonly number[]) => x.reduce((s, v, i) => s + v * b[i], 0);

/** Solves A·x = b for a symmetric positive-definite A by Cholesky decomposition. */
function solveSymmetric(a: number[][], b: number[]): number[] {
  const n = b.length,
    L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let m = 0; m < j; m++) s -= L[i][m] * L[j][m];
      L[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / L[j][j];
    }
  }
  const y = new Array<number>(n).fill(0),
    x = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= L[i][m] * y[m];
    y[i] = s / L[i][i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let m = i + 1; m < n; m++) s -= L[m][i] * x[m];
    x[i] = s / L[i][i];
  }
  return x;
}
