import { describe, expect, it } from 'vitest';
// Test-only: the scorer's hand-written ONNX logistic model (input `input` [N, F], output `probabilities` [N, 2]).
import { tinyModelBytes } from '../../../scorer-image/test/fixtures/tiny-model.ts';
import { type ModelSignature, schemaMismatch } from './model-schema.ts';
import { scoreMatrix } from './score.ts';

const want = { inputName: 'input', width: 3, outputName: 'probabilities' };
const sig = (
  over: Partial<ModelSignature['inputs'][0]> = {},
  outputs = ['label', 'probabilities'],
): ModelSignature => ({
  inputs: [{ name: 'input', type: 'float32', shape: ['N', 3], ...over }],
  outputs,
});

describe('model schema check', () => {
  it('accepts a graph that takes the schema, and names what differs otherwise', () => {
    expect(schemaMismatch(sig(), want)).toBeUndefined();
    expect(schemaMismatch(sig({ shape: ['N', 4] }), want)).toBe('the model takes 4 features; the feature schema has 3');
    expect(schemaMismatch(sig({ name: 'x' }), want)).toMatch(/input is "x"; the feature schema's is "input"/);
    expect(schemaMismatch(sig({ type: 'float64' }), want)).toMatch(/is float64; the feature schema's is float32/);
    expect(schemaMismatch(sig({ shape: ['N', 'F'] }), want)).toMatch(/no fixed width/);
    expect(schemaMismatch(sig({ shape: [3] }), want)).toMatch(/1 dimensions/);
    expect(schemaMismatch(sig({}, ['label']), want)).toMatch(/no "probabilities" output/);
    expect(schemaMismatch({ inputs: [], outputs: [] }, want)).toMatch(/0 inputs/);
  });

  it('refuses a real ONNX model of another width before scoring a single row', async () => {
    const model = tinyModelBytes({ weights: [0.5, 0.25, 1, 2], bias: -1 });
    await expect(scoreMatrix(model, new Float32Array(6), 3)).rejects.toThrow(
      'model refused: the model takes 4 features; the feature schema has 3',
    );
    const ok = await scoreMatrix(model, Float32Array.from([0, 0, 0, 0, 1, 1, 1, 1]), 4);
    expect(ok[0]).toBeCloseTo(1 / (1 + Math.exp(1)), 6);
    expect(ok[1]).toBeCloseTo(1 / (1 + Math.exp(-2.75)), 6);
  });
});
