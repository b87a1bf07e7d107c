/**
 * "Did you mean …?" suggestions: the candidate nearest to a misspelt name, if any is near enough.
 * Used for block names, argument names and enumeration values alike.
 */

/** Edit distance where an adjacent swap ("desne" → "dense") costs one, like a single typo. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/** How many edits still count as a typo of a name this long (a third of it, at least one; rustc's rule). */
export function typoAllowance(name: string): number {
  return Math.max(1, Math.floor(Math.max(name.length, 3) / 3));
}

/**
 * The candidate nearest to `name` (case-insensitive), or undefined when none is within a typo's reach.
 * Ties go to the earlier candidate, so callers control preference by order.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = typoAllowance(name) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
