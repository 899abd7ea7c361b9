/**
 * True for the base name of a lockfile Evident reads (see index.ts for the parsers): kept apart from
 * the parsers so claiming files does not load them.
 */
export function isLockfileName(name: string): boolean {
  return (
    /^(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|Pipfile\.lock|go\.mod|go\.sum|Cargo\.lock|Gemfile\.lock|gems\.locked|composer\.lock)$/.test(
      name,
    ) || /^requirements(?:[-_.][\w.-]*)?\.txt$/.test(name)
  );
}
