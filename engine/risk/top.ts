// The k first of n items in a total order, without sorting the n: a risk frame names the five worst
// positions of each stress scenario and the largest component contributors of a 10k-position book,
// and a full sort of every position per run cost more than the revaluation it reports.

/**
 * Indices of the (at most) k first items of 0..n-1 by `before` (a strict total order), in that
 * order; items `keep` refuses are left out. O(n·k) with a bounded insertion, for the small k of a
 * report; the result equals sorting every kept index by `before` and taking the first k.
 */
export function firstK(
  n: number,
  k: number,
  before: (a: number, b: number) => boolean,
  keep: (j: number) => boolean = () => true,
): number[] {
  const top: number[] = [];
  if (k <= 0) return top;
  for (let j = 0; j < n; j++) {
    if (!keep(j)) continue;
    if (top.length === k && !before(j, top[k - 1])) continue;
    let at = top.length === k ? k - 1 : top.length;
    if (top.length < k) top.push(j);
    // Shift the items j goes before one place down, then place j.
    while (at > 0 && before(j, top[at - 1])) {
      top[at] = top[at - 1];
      at--;
    }
    top[at] = j;
  }
  return top;
}
