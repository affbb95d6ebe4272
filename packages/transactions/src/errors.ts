/** A transaction file that cannot be read: names the file and, where known, the row, column and byte position. */
export class TransactionFileError extends Error {
  readonly code = 'TRANSACTION_FILE_INVALID';
  readonly retriable = false;
  readonly path: string;
  readonly row: number | undefined;
  readonly column: string | undefined;
  readonly byteOffset: number | undefined;

  constructor(
    path: string,
    message: string,
    where: { row?: number; column?: string; byteOffset?: number } = {},
    options?: { cause?: unknown },
  ) {
    const parts = [
      where.row === undefined ? undefined : `row ${where.row}`,
      where.column === undefined ? undefined : `column ${where.column}`,
      where.byteOffset === undefined ? undefined : `byte ${where.byteOffset}`,
    ].filter((p) => p !== undefined);
    super(`${path}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}: ${message}`, options);
    this.name = 'TransactionFileError';
    this.path = path;
    this.row = where.row;
    this.column = where.column;
    this.byteOffset = where.byteOffset;
  }
}
