// The scorer's config contract lives in @fraud-operator/scorer-config, shared with the operator that writes it.
export * from '@fraud-operator/scorer-config';
