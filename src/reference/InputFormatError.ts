/**
 * A refused input file (spec §I2-§I4): the whole file is rejected and no table changes.
 * The message names the file, the line or column, the rule and what to do.
 */
export class InputFormatError extends Error {
  readonly file: string;
  /** 1-based physical line (header = line 1), when the fault has one. */
  readonly line: number | undefined;
  /** The missing or doubled header column, when that is the fault. */
  readonly column: string | undefined;

  constructor(args: { file: string; line?: number; column?: string; message: string }) {
    super(args.message);
    this.name = "InputFormatError";
    this.file = args.file;
    this.line = args.line;
    this.column = args.column;
  }
}
