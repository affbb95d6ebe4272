/** Why an archive object was refused. Every message names the object, so a verify over many objects says which. */
export type ArchiveErrorCode =
  | 'not-an-archive'
  | 'unsupported-version'
  | 'corrupt-header'
  | 'unknown-key-id'
  | 'wrong-key'
  | 'not-a-recipient'
  | 'header-tampered'
  | 'chunk-tampered'
  | 'chunk-too-large'
  | 'truncated'
  | 'trailing-data'
  | 'bad-key-material';

export class ArchiveFormatError extends Error {
  readonly code: ArchiveErrorCode;
  readonly retriable = false;

  constructor(code: ArchiveErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiveFormatError';
    this.code = code;
  }
}
