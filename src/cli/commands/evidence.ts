import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { loadChecks } from '../../checks/registry.js';
import { type ControlMap, loadControlMap } from '../../control-map/index.js';
import { EvidentError } from '../../core/errors.js';
import { locateRepository } from '../../engine/repository.js';
import type { ManualEvidencePredicate } from '../../evidence/index.js';
import {
  addManualEvidence,
  decodeStatement,
  KIND_MANUAL,
  loadSigner,
  normalizeEvidencePath,
  openLedger,
} from '../../evidence/index.js';
import { loadTeamRules, policyDirsOf } from '../../policy/team.js';
import { displayPath, mixedSigningWarnings, prepareEvidenceDir, unsignedReason } from '../evidence-hook.js';
import { exitCodesHelp, KEY_FILE_HELP, PATHS_NOTE, USAGE_ERROR } from '../help.js';
import { guardStdout, writeReport } from '../output.js';

/** Options of `evident evidence add`. */
interface AddOptions {
  control: string;
  config?: string;
  root?: string;
  ledger?: string;
  blobs?: string;
  keyFile?: string;
  by?: string;
  force?: boolean;
}

/** The control map at `mapFile`, validated against the built-in checks and the team rules its `policies:` name. */
async function loadMapWithTeamRules(mapFile: string): Promise<ControlMap> {
  const builtIns = await loadChecks();
  let text = '';
  try {
    text = readFileSync(mapFile, 'utf8');
  } catch {
    // loadControlMap reports an unreadable map
  }
  const { dirs, explicit } = policyDirsOf(mapFile, text);
  const team = await loadTeamRules(dirs, { builtIns, required: explicit, checkPaths: false });
  return loadControlMap(mapFile, { checks: [...builtIns, ...team.map((t) => t.check)] });
}

/**
 * Checks that `--control ID` names a control of `map` whose `evidence.manual` is `path` (relative to
 * the map's directory, normalised): anything else would be signed into the append-only log and never
 * count, since a scan looks evidence up by control and path. Throws E_USAGE naming what to change.
 */
export function checkManualEvidenceTarget(
  map: ControlMap,
  mapFile: string,
  controlId: string,
  path: string,
): void {
  const control = map.controls.find((c) => c.id === controlId);
  const shown = displayPath(mapFile);
  if (!control) {
    const manual = map.controls.filter((c) => c.evidence?.manual).map((c) => c.id);
    throw new EvidentError('E_USAGE', `control ${controlId} is not in ${shown}; nothing was logged`, {
      file: shown,
      hint: manual.length
        ? `controls that take manual evidence: ${manual.join(', ')}. Add the control to evident.yaml first, or pass --force to log it anyway`
        : 'no control in evident.yaml declares `evidence: { manual: PATH }`: add one (docs/evident-yaml.md#manual-evidence), or pass --force to log it anyway',
    });
  }
  const want = control.evidence?.manual;
  if (want === undefined) {
    throw new EvidentError(
      'E_USAGE',
      `control ${controlId} in ${shown} declares no manual evidence (evidence.manual); nothing was logged`,
      {
        file: shown,
        line: control.location?.line,
        hint: `add \`evidence: { manual: ${path}, maxAgeDays: 365 }\` to ${controlId}, or pass --force to log it anyway`,
      },
    );
  }
  if (normalizeEvidencePath(want) !== path) {
    throw new EvidentError(
      'E_USAGE',
      `control ${controlId} expects its manual evidence at ${want} (relative to ${displayPath(dirname(mapFile))}), not ${path}; nothing was logged`,
      {
        file: shown,
        line: control.location?.line,
        hint: `pass the document evident.yaml names (${want}), change evidence.manual of ${controlId}, or pass --force to log it anyway`,
      },
    );
  }
}

/**
 * `evident evidence add --control ID FILE` (check the control and path against evident.yaml, then hash, store, sign
 * and log a document as manual evidence) and `evident evidence list [--control ID]` (the manual evidence in the log,
 * newest first). Both default to the log of the repository (FILE's for add, the current directory's for list).
 */
export function registerEvidenceCommand(program: Command): void {
  const evidence = program
    .command('evidence')
    .description('Manual evidence: attach documents to controls')
    .addHelpText(
      'after',
      `${exitCodesHelp({ 0: 'done', 2: USAGE_ERROR })}\nRun \`evident evidence help add\` (or \`evident evidence add --help\`) for the options of one subcommand.\n`,
    );
  evidence
    .command('add')
    .description(
      "Hash, sign and log FILE as the manual evidence of a control (it counts until older than the control's maxAgeDays)",
    )
    .argument('<file>', 'the evidence document: the path the control names in evidence.manual')
    .requiredOption('--control <id>', 'control id from evident.yaml, e.g. IR-1')
    .option(
      '-c, --config <file>',
      "control map to check the control and path against (default: FILE's repository evident.yaml)",
    )
    .option(
      '--root <dir>',
      'directory the document path is recorded relative to (default: the directory of the control map, as evidence.manual paths are relative to it)',
    )
    .option(
      '--ledger <dir>',
      "evidence log directory (default: .evident/ledger of FILE's repository, where `evident scan` reads it)",
    )
    .option('--blobs <dir>', 'content-addressed blob directory (default: blobs/ inside the log directory)')
    .option('--key-file <file>', KEY_FILE_HELP)
    .option('--by <who>', 'who collected the evidence (recorded in the statement)')
    .option(
      '--force',
      'log it even when the control is not in evident.yaml or the path is not its evidence.manual (the entry is permanent)',
    )
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'logged',
        2: `${USAGE_ERROR}: unknown control, a path that is not the control's evidence.manual, a file outside the repository`,
      }) + PATHS_NOTE,
    )
    .action(async (file: string, o: AddOptions) => {
      const repo = locateRepository(file);
      const mapFile = o.config ? resolve(o.config) : repo.mapFile;
      let root = o.root ? resolve(o.root) : mapFile ? dirname(mapFile) : repo.dir;
      if (!o.force) {
        if (!mapFile) {
          throw new EvidentError(
            'E_USAGE',
            `no evident.yaml found for ${file} (looked from its folder up to the repository root); nothing was logged`,
            {
              hint: 'manual evidence belongs to a control of evident.yaml (`evident init` writes one); pass -c/--config if it is elsewhere, or --force to log it anyway',
            },
          );
        }
        const map = await loadMapWithTeamRules(mapFile);
        const path = normalizeEvidencePath(relative(root, resolve(file)));
        checkManualEvidenceTarget(map, mapFile, o.control, path);
      }
      root = resolve(root);
      const ledgerDir = o.ledger ? resolve(o.ledger) : repo.ledgerDir;
      const signer = loadSigner({ keyFile: o.keyFile, env: process.env });
      for (const w of mixedSigningWarnings(ledgerDir, signer)) process.stderr.write(`${w}\n`);
      prepareEvidenceDir(repo, ledgerDir);
      const res = await addManualEvidence({
        file,
        controlId: o.control,
        root,
        ledgerDir,
        blobDir: o.blobs,
        signer,
        env: process.env,
        addedBy: o.by,
      });
      process.stdout.write(
        `evidence for ${o.control}: ${res.path} sha256:${res.sha256} logged as entry #${res.index} in ${displayPath(ledgerDir)} (${
          res.signed ? `signed by ${signer?.keyId()}` : 'UNSIGNED'
        }), collected ${res.collectedAt}\n`,
      );
      if (!res.signed) {
        process.stderr.write(
          `evident: evidence recorded UNSIGNED: ${unsignedReason(process.env)}. \`evident verify --key\` fails unsigned entries.\n`,
        );
      }
    });
  evidence
    .command('list')
    .description(
      'List manual evidence in the log, newest first (unverified: run `evident verify` to check it)',
    )
    .option('--control <id>', 'only this control')
    .option(
      '--ledger <dir>',
      "evidence log directory (default: the current directory's repository log, .evident/ledger)",
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .addHelpText('after', exitCodesHelp({ 0: 'listed', 2: USAGE_ERROR }) + PATHS_NOTE)
    .action(async (o: { control?: string; ledger?: string; format: 'text' | 'json'; output?: string }) => {
      guardStdout();
      const ledgerDir = o.ledger ?? locateRepository('.').ledgerDir;
      const ledger = await openLedger(ledgerDir);
      const rows: (ManualEvidencePredicate & { index: number; sha256: string })[] = [];
      try {
        for (
          let i = ledger.lastIndexOfKind(KIND_MANUAL);
          i >= 0;
          i = ledger.lastIndexOfKind(KIND_MANUAL, i)
        ) {
          const st = decodeStatement((await ledger.get(i)).envelope);
          const p = st?.predicate as ManualEvidencePredicate | undefined;
          if (!p || (o.control && p.controlId !== o.control)) continue;
          rows.push({ index: i, sha256: st?.subject[0]?.digest.sha256 ?? '?', ...p });
        }
      } finally {
        await ledger.close();
      }
      if (o.format === 'json') {
        writeReport(JSON.stringify(rows, null, 2), o.output, 'the manual evidence list');
        return;
      }
      const lines = rows.map(
        (r) =>
          `#${r.index} ${r.controlId} ${r.path} sha256:${r.sha256} collected ${r.collectedAt}${r.addedBy ? ` by ${r.addedBy}` : ''}`,
      );
      writeReport(
        lines.length ? lines.join('\n') : `no manual evidence in ${displayPath(ledgerDir)}`,
        o.output,
        'the manual evidence list',
      );
    });
}
