import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EvidentError } from '../../core/errors.js';
import { locateRepository } from '../../engine/repository.js';
import { loadRuleSet } from '../../engine/rule-set.js';
import { loadSigner } from '../../evidence/index.js';
import type { AttestTarget } from '../../provenance/attest.js';
import { exitCodesHelp, KEY_FILE_HELP, USAGE_ERROR } from '../help.js';

function targetOf(o: { artifact?: string; image?: string }): AttestTarget {
  if (Boolean(o.artifact) === Boolean(o.image)) {
    throw new EvidentError('E_USAGE', 'give exactly one of --artifact FILE or --image NAME@sha256:DIGEST');
  }
  return o.artifact ? { artifact: o.artifact } : { image: o.image as string };
}

/**
 * `evident attest --artifact FILE | --image NAME@sha256:DIGEST` (SLSA provenance v1, signed, logged, written as
 * `.intoto.jsonl`) and `evident verify-attestation` (docs/provenance.md).
 */
export function registerAttestCommands(program: Command): void {
  program
    .command('attest')
    .description(
      'Write signed SLSA provenance v1 for a built artifact or image digest (logged, and as FILE.intoto.jsonl)',
    )
    .option('--artifact <file>', 'the built file')
    .option('--image <ref>', 'the built image, pinned by digest: NAME@sha256:<64 hex>')
    .option(
      '--builder-id <uri>',
      'runDetails.builder.id (default https://evident.dev/builders/<CI provider>)',
    )
    .option('--source-uri <uri>', 'source repository (default: from the CI run, else the git remote origin)')
    .option('-o, --output <file>', 'bundle to append to (default FILE.intoto.jsonl beside the artifact)')
    .option('--ledger <dir>', 'evidence log (default .evident/ledger of the repository)')
    .option('--key-file <file>', KEY_FILE_HELP)
    .addHelpText('after', exitCodesHelp({ 0: 'provenance written', 2: USAGE_ERROR }))
    .action(async (o: Record<string, string | undefined>) => {
      const { attest } = await import('../../provenance/attest.js');
      const target = targetOf(o);
      const r = await attest({
        target,
        signer: loadSigner({ keyFile: o.keyFile, env: process.env }),
        ledgerDir: o.ledger ? resolve(o.ledger) : locateRepository(process.cwd()).ledgerDir,
        cwd: process.cwd(),
        env: process.env,
        builderId: o.builderId,
        sourceUri: o.sourceUri,
        out: o.output,
      });
      process.stdout.write(
        `attested ${r.subject.name} sha256:${r.subject.sha256}\n  builder ${r.builderId}\n  source  ${r.sourceUri}\n  bundle  ${r.bundle}\n  log entry ${r.logIndex}\n`,
      );
    });

  program
    .command('verify-attestation')
    .description(
      "Check an artifact or image digest's provenance: trusted signature, subject digest, allowed builder and source",
    )
    .option('--artifact <file>', 'the file to check (its FILE.intoto.jsonl is read when present)')
    .option('--image <ref>', 'the image to check, pinned by digest: NAME@sha256:<64 hex>')
    .option(
      '--bundle <file>',
      'a .intoto.jsonl bundle to read (repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--config <file>', 'evident.yaml holding provenance: (default: the repository map)')
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'a valid attestation was found',
        1: 'none was valid (each is said why)',
        2: USAGE_ERROR,
      }),
    )
    .action(async (o: { artifact?: string; image?: string; bundle?: string[]; config?: string }) => {
      const { verifyAttestation, policyDirOf } = await import('../../provenance/attest.js');
      const target = targetOf(o);
      const rules = await loadRuleSet({ rootDir: process.cwd(), config: o.config });
      const policy = rules.map.provenance;
      if (!rules.hasMap || !policy) {
        throw new EvidentError(
          'E_CONFIG',
          'evident.yaml has no provenance: section (trusted keys, builders, sources)',
          {
            file: rules.configPath,
            hint: 'docs/provenance.md shows one',
          },
        );
      }
      const r = verifyAttestation({
        target,
        policy,
        policyDir: policyDirOf(rules.configPath),
        bundles: o.bundle,
      });
      const out: string[] = [`${r.subject.name} sha256:${r.subject.sha256}`];
      for (const p of r.problems) out.push(`  ✗ ${p}`);
      if (r.checked.length === 0) out.push('  ✗ no attestation names this digest');
      for (const c of r.checked) {
        out.push(`  ${c.ok ? '✓' : '✗'} ${c.source}`);
        for (const d of c.details) out.push(`      ${d}`);
      }
      out.push(r.ok ? 'verdict: OK: valid provenance' : 'verdict: FAILED: no valid provenance');
      process.stdout.write(`${out.join('\n')}\n`);
      process.exitCode = r.ok ? 0 : 1;
    });
}
