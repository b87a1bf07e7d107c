/** The browser equivalence test (support/equivalence.ts) for the network with gauss layers, fre, SE and skips. */
import { test } from 'uvu';
import { BROWSER_GROUPS, browserEquivalence } from './support/equivalence.js';

browserEquivalence(BROWSER_GROUPS[0]);

test.run();
