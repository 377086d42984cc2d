/**
 * Which GitHub repository a Git URL names: `https://github.com/OWNER/NAME(.git)`, `git@github.com:OWNER/NAME.git`,
 * `ssh://git@github.com/OWNER/NAME.git`, with credentials or a port ignored, on github.com or another configured
 * GitHub host (GitHub Enterprise Server). Anything else is not a GitHub repository, and gets no commit status.
 */

/** A repository on GitHub. */
export interface GitHubRepository {
  owner: string;
  repo: string;
}

const PART = /^[A-Za-z0-9_.-]+$/;

/** parseRepositorySlug reads `OWNER/NAME`; null when it is not one. */
export function parseRepositorySlug(slug: string): GitHubRepository | null {
  const [owner, repo, ...rest] = slug.split("/");
  if (rest.length > 0 || !owner || !repo || !PART.test(owner) || !PART.test(repo)) return null;
  return { owner, repo };
}

/**
 * githubRepositoryOf returns the repository a Git remote URL names when its host is one of `hosts` (lower case,
 * e.g. `["github.com"]`), else null.
 */
export function githubRepositoryOf(url: string, hosts: readonly string[]): GitHubRepository | null {
  const located = locate(url.trim());
  if (!located || !hosts.includes(located.host.toLowerCase())) return null;
  const path = located.path.replace(/^\/+/, "").replace(/\/+$/, "").replace(/\.git$/, "");
  return parseRepositorySlug(path);
}

function locate(url: string): { host: string; path: string } | null {
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { host: scp[1]!, path: scp[2]! };
  try {
    const parsed = new URL(url);
    if (!["https:", "http:", "ssh:", "git:"].includes(parsed.protocol)) return null;
    return { host: parsed.hostname, path: decodeURIComponent(parsed.pathname) };
  } catch {
    return null;
  }
}

/**
 * githubHostsFor lists the hosts whose URLs are GitHub repositories: github.com, and the host of a GitHub
 * Enterprise API URL (`https://ghe.example.com/api/v3` → `ghe.example.com`).
 */
export function githubHostsFor(apiUrl: string): string[] {
  const hosts = ["github.com"];
  try {
    const host = new URL(apiUrl).hostname.toLowerCase();
    if (host !== "api.github.com" && host !== "github.com") hosts.push(host.replace(/^api\./, ""), host);
  } catch {
    // an invalid URL was rejected by the config schema; github.com alone is still right
  }
  return [...new Set(hosts)];
}
