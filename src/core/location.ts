/**
 * A position in a scanned input file.
 * `file` is POSIX-style and relative to the scan root (e.g. `terraform/aws/s3.tf`);
 * `line` and `column` are 1-based. `endLine` is inclusive.
 */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
  endLine?: number;
}

/** Renders `file:line[:column]`, the form editors and CI logs link on. */
export function formatLocation(loc: SourceLocation): string {
  return loc.column ? `${loc.file}:${loc.line}:${loc.column}` : `${loc.file}:${loc.line}`;
}
