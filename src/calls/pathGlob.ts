/** `*` matches within one path segment, `**` across segments; everything else literally. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** A matcher of URL paths for LOG_POLICY_CALL_PATHS; no globs means every path. */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => true;
  const patterns = globs.map(globToRegExp);
  return (path) => patterns.some((p) => p.test(path));
}
