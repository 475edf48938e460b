import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { expect, test } from 'vitest';
import { LayerContext } from '../../src/api/LayerContext.ts';

const A = createContextKey('test.a');
const B = createContextKey('test.b');

test('a layer reads its own key, else its parent; set and delete make new layers', () => {
  const parent = ROOT_CONTEXT.setValue(A, 'from parent');
  const layer = new LayerContext(parent, B, 'mine');
  expect(layer.getValue(B)).toBe('mine');
  expect(layer.getValue(A)).toBe('from parent');
  const changed = layer.setValue(A, 'changed');
  expect(changed.getValue(A)).toBe('changed');
  expect(layer.getValue(A)).toBe('from parent'); // contexts are immutable
  const deleted = changed.deleteValue(B);
  expect(deleted.getValue(B)).toBeUndefined();
  expect(deleted.getValue(A)).toBe('changed');
  expect(changed.getValue(B)).toBe('mine');
});
