import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './start-signet.ts';

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'not installed';
  }
}

/** The machine and software the figures were measured on. */
export function machineFacts(loadGenerator: string) {
  const cpuFlags = readFileSync('/proc/cpuinfo', 'utf8');
  const signetPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    avx512ifma: /\bavx512ifma\b/.test(cpuFlags),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    openssl: process.versions.openssl,
    loadGenerator,
    signetDependencies: Object.fromEntries(
      Object.keys(signetPackage.dependencies).map((name) => [name, packageVersion(name)]),
    ),
    peers: { 'oidc-provider': packageVersion('oidc-provider') },
  };
}

export type MachineFacts = ReturnType<typeof machineFacts>;
