export { API_VERSION, GROUP, VERSION } from '../../kube/paths.ts';
export * from './types.generated.ts';
