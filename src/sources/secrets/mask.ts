/**
 * Masks a secret for display: at most 4 leading characters (a fifth of the length, rounded down, so
 * a secret under 5 characters shows none), then 4 to 12 `*`. Never returns the secret itself.
 */
export function maskSecret(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 5));
  return `${secret.slice(0, shown)}${'*'.repeat(Math.min(12, Math.max(4, secret.length - shown)))}`;
}

/**
 * A one-line preview of a match with the secret masked: the match text with `[secretStart,
 * secretEnd)` (offsets into `match`) replaced by {@link maskSecret}, whitespace (line breaks
 * included) collapsed to single spaces, at most 100 characters.
 */
export function maskedPreview(match: string, secretStart: number, secretEnd: number): string {
  const before = match.slice(Math.max(0, secretStart - 60), secretStart);
  const after = match.slice(secretEnd, secretEnd + 30);
  const flat = `${before}${maskSecret(match.slice(secretStart, secretEnd))}${after}`
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 100 ? `${flat.slice(0, 99)}…` : flat;
}
