export { composeFeatures } from './compose.ts';
export { createFeatureEngine, type FeatureEngine, type FeatureEngineOptions, vectorsFromRaw } from './engine.ts';
export { MemoryState, memoryState } from './memory-state.ts';
export { columnsOf, FEATURE_SETS, type FeatureSetName, featureSetOf, featureSetOfWidth } from './names.ts';
export { RedisState, type RedisStateOptions, redisState } from './redis-state.ts';
export { createReplay, type Replay, type ReplayOptions, replayFeatures } from './replay.ts';
export type { FeatureState } from './state.ts';
export { DEFAULT_LABEL_DELAY_MS, RAW_WIDTH, type WindowSpec, windowSpec } from './windows.ts';
