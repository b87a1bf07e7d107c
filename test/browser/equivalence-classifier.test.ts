/** The browser equivalence test (support/equivalence.ts) for the classic blocks and the two-input network. */
import { test } from 'uvu';
import { BROWSER_GROUPS, browserEquivalence } from './support/equivalence.js';

browserEquivalence(BROWSER_GROUPS[1]);

test.run();
