import { expect, test } from 'vitest';
import { x } from '../src/index.ts';
test('x', () => { expect(x).toBe(1); });
