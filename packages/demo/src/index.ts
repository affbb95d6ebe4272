export { demoFraudModel, modelSpec, type PublishedModel, topicsFor } from './fraud-model.ts';
export { type Frame, renderFrame } from './screen.ts';
export { DEFAULT_SETTINGS, type DemoSettings, resolveSettings, rolloutPolicy } from './settings.ts';
