/** The dependency ranges a scaffold writes, keyed by package name. */
export function templateVersions(): Record<string, string>;
