export { archiveCommand as archive } from '@fraud-operator/archive-format/archive-command';
