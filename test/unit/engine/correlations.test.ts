import t from 'tap';
import { correlationProblem } from '../../../engine/correlations.js';

t.test('a correlation matrix is n×n, in [-1, 1], symmetric, unit-diagonal and positive semi-definite', async (t) => {
  const ok = [
    [1, 0.3, -0.2],
    [0.3, 1, 0.1],
    [-0.2, 0.1, 1],
  ];
  t.equal(correlationProblem(ok, 3), null, 'positive definite');
  t.equal(
    correlationProblem(
      [
        [1, 1],
        [1, 1],
      ],
      2,
    ),
    null,
    'perfect correlation: singular but semi-definite',
  );
  t.equal(correlationProblem([[1 - 1e-10]], 1), null, 'diagonal within 1e-9');
  t.equal(correlationProblem([], 0), null, 'no factors');

  const cases: [unknown, number, number[], string][] = [
    [ok, 4, [], 'expected 4 rows (one per factor), received 3'],
    [undefined, 2, [], 'expected 2 rows (one per factor), received nothing'],
    [[ok[0], ok[1], [1, 2]], 3, [2], 'expected 3 columns (one per factor), received 2'],
    [[ok[0], ok[1], 7], 3, [2], 'expected 3 columns (one per factor), received 7'],
    [[ok[0], [0.3, 1, '0.1'], ok[2]], 3, [1, 2], 'expected number in [-1, 1], received "0.1"'],
    [[ok[0], [0.3, 1, NaN], ok[2]], 3, [1, 2], 'expected number in [-1, 1], received NaN'],
    [[ok[0], [0.3, 1, -1.5], ok[2]], 3, [1, 2], 'expected number in [-1, 1], received -1.5'],
    [[ok[0], [0.3, 0.9, 0.1], ok[2]], 3, [1, 1], 'expected 1 on the diagonal, received 0.9'],
    [[ok[0], [0.4, 1, 0.1], ok[2]], 3, [0, 1], 'not symmetric: 0.3 but correlations[1][0] is 0.4'],
    [
      [
        [1, 0.9, -0.9],
        [0.9, 1, 0.9],
        [-0.9, 0.9, 1],
      ],
      3,
      [],
      'not positive semi-definite',
    ],
  ];
  for (const [c, n, path, message] of cases) {
    t.same(correlationProblem(c as number[][], n), { path, message }, message);
  }
});
