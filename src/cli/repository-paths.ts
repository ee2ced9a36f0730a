/**
 * Inside GitHub Actions, where each inventory file is in the repository. GitHub reads an
 * annotation's `file` and a SARIF artifact URI from the repository root ($GITHUB_WORKSPACE),
 * whatever the working directory. Both ends are real paths, so a workspace reached through a
 * symbolic link, a working directory outside the workspace, and an inventory outside the
 * repository (`../outside/org.yaml`) each give the path GitHub knows the file by, or none.
 */
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { leavesBase } from '../input/display-path.ts';
import type { RepositoryPath } from '../report/types.ts';
import type { Io } from './io.ts';

/** The lookup for this run, or undefined outside GitHub Actions, where paths stay relative to the working directory. */
export function repositoryPaths(io: Pick<Io, 'cwd' | 'env'>): RepositoryPath | undefined {
  const workspace = io.env.GITHUB_WORKSPACE;
  if (!workspace) return undefined;
  const root = realPath(resolve(io.cwd, workspace)) ?? resolve(io.cwd, workspace);
  // A run names a handful of inventory files, each on thousands of results.
  const known = new Map<string, string | undefined>();
  return (file) => {
    if (!known.has(file)) known.set(file, fromRoot(root, realPath(resolve(io.cwd, file))));
    return known.get(file);
  };
}

/** `real` from `root`, with `/` for the platform's separator; undefined when it is not inside. */
function fromRoot(root: string, real: string | undefined): string | undefined {
  if (real === undefined) return undefined;
  const rel = relative(root, real);
  return rel === '' || leavesBase(rel) ? undefined : rel.split(sep).join('/');
}

/** The real path, or undefined for a file that is not there to resolve (an inventory read from standard input). */
function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
