import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BinarySample } from './logistic-regression';
import { fitLogistic, logistic } from './logistic-regression';

const repeat = (n: number, s: BinarySample): BinarySample[] => Array.from({ length: n }, () => s);
const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) < tol, `${what}: ${a} vs ${b}`);

test('without features the intercept is the log-odds of the hit share: 30 of 100 gives ln(30/70)', () => {
  const fit = fitLogistic([...repeat(30, { features: [], y: true }), ...repeat(70, { features: [], y: false })], 0);
  near(fit.intercept, Math.log(30 / 70), 1e-9, 'intercept');
  assert.ok(fit.converged);
  near(fit.logLikelihood, 30 * Math.log(0.3) + 70 * Math.log(0.7), 1e-9, 'log-likelihood');
});

test('one feature, no penalty to speak of: the weight is the difference of log-odds (10 % vs 50 %)', () => {
  const fit = fitLogistic(
    [
      ...repeat(10, { features: [], y: true }),
      ...repeat(90, { features: [], y: false }),
      ...repeat(50, { features: [0], y: true }),
      ...repeat(50, { features: [0], y: false }),
    ],
    1,
    { l2: 0 },
  );
  near(fit.intercept, Math.log(10 / 90), 1e-6, 'intercept');
  near(fit.weights[0], Math.log(90 / 10), 1e-6, 'weight');
  // textbook standard error of a log odds ratio: sqrt(1/10 + 1/90 + 1/50 + 1/50)
  near(fit.standardErrors[1], Math.sqrt(1 / 10 + 1 / 90 + 1 / 50 + 1 / 50), 1e-6, 'standard error');
});

test('perfectly separated data stays finite under L2 and converges', () => {
  const fit = fitLogistic([...repeat(40, { features: [0], y: true }), ...repeat(40, { features: [], y: false })], 1, { l2: 1 });
  assert.ok(fit.converged);
  assert.ok(Number.isFinite(fit.weights[0]) && fit.weights[0] > 3 && fit.weights[0] < 20, `weight ${fit.weights[0]}`);
});

test('features outside the columns are ignored; a constant-zero column gets weight 0', () => {
  const fit = fitLogistic(
    [
      { features: [5, -1], y: true },
      { features: [], y: false },
    ],
    2,
  );
  assert.deepEqual(fit.weights, [0, 0]);
  near(fit.intercept, 0, 1e-9, 'intercept');
});

test('the logistic function does not overflow', () => {
  assert.equal(logistic(0), 0.5);
  assert.equal(logistic(-1000), 0);
  assert.equal(logistic(1000), 1);
  near(logistic(Math.log(3)), 0.75, 1e-12, 'logistic(ln 3)');
});
