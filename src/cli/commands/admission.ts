import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultAdmissionPolicy } from '../../control-map/admission-config.js';
import { EvidentError } from '../../core/errors.js';
import { locateRepository } from '../../engine/repository.js';
import { loadRuleSet } from '../../engine/rule-set.js';
import { loadSigner } from '../../evidence/index.js';
import { exitCodesHelp, KEY_FILE_HELP, USAGE_ERROR } from '../help.js';
import { writeReport } from '../output.js';

interface AdmissionCliOptions {
  tlsCert?: string;
  tlsKey?: string;
  port: string;
  host: string;
  config?: string;
  ledger?: string;
  keyFile?: string;
  batchSize: string;
  flushSeconds: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveInt(flag: string, v: string, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new EvidentError('E_USAGE', `${flag} ${v} is not a whole number between 0 and ${max}`);
  }
  return n;
}

/**
 * `evident admission --tls-cert FILE --tls-key FILE [--port 8443] [--config evident.yaml]`: the Kubernetes
 * validating admission webhook (docs/admission.md), and `evident admission manifests --image REF@sha256:...`:
 * the objects that install it. Runs until SIGTERM/SIGINT, then flushes the decision log.
 */
export function registerAdmissionCommand(program: Command): void {
  const cmd = program
    .command('admission')
    .description(
      "Serve the Kubernetes validating admission webhook: the scan's rules, enforced in the cluster",
    )
    .option('--tls-cert <file>', 'PEM serving certificate (reloaded when the file changes)')
    .option('--tls-key <file>', 'PEM private key of the certificate (reloaded when the file changes)')
    .option('--port <port>', 'HTTPS port', '8443')
    .option('--host <address>', 'address to listen on', '0.0.0.0')
    .option('--config <file>', "evident.yaml (default: the current directory's repository map)")
    .option('--ledger <dir>', 'evidence log for decisions (default: .evident/ledger of the repository)')
    .option('--key-file <file>', KEY_FILE_HELP)
    .option('--batch-size <n>', 'most decisions per signed envelope', '100')
    .option('--flush-seconds <s>', 'longest a decision waits before its batch is signed', '5')
    .addHelpText('after', exitCodesHelp({ 0: 'stopped by SIGTERM or SIGINT', 2: USAGE_ERROR }))
    .action(async (o: AdmissionCliOptions) => {
      if (!o.tlsCert || !o.tlsKey) {
        throw new EvidentError('E_USAGE', 'evident admission needs --tls-cert and --tls-key', {
          hint: 'the API server calls webhooks over HTTPS only; docs/admission.md shows how to make a certificate',
        });
      }
      const port = positiveInt('--port', o.port, 65535);
      const batchSize = Math.max(1, positiveInt('--batch-size', o.batchSize, 10_000));
      const flushMs = positiveInt('--flush-seconds', o.flushSeconds, 3600) * 1000;
      const { decideContext } = await import('../../admission/decide.js');
      const { openDecisionLog } = await import('../../admission/decision-log.js');
      const { startAdmissionServer } = await import('../../admission/server.js');
      const rules = await loadRuleSet({ rootDir: process.cwd(), config: o.config });
      const policy = rules.map.admission ?? defaultAdmissionPolicy();
      const signer = loadSigner({ keyFile: o.keyFile, env: process.env });
      const ledgerDir = o.ledger ? resolve(o.ledger) : locateRepository(process.cwd()).ledgerDir;
      const say = (m: string) => process.stderr.write(`evident admission: ${m}\n`);
      if (!signer)
        say(
          'no signing key: decision batches are recorded unsigned (set --key-file or $EVIDENT_SIGNING_KEY_FILE)',
        );
      const log = await openDecisionLog({
        ledgerDir,
        signer,
        batchSize,
        flushMs,
        replica: process.env.HOSTNAME,
        onError: (e) => say(`decisions not yet logged (kept, retrying): ${(e as Error).message}`),
      });
      let tlsCert: string;
      try {
        readFileSync(o.tlsCert);
        readFileSync(o.tlsKey);
        tlsCert = o.tlsCert;
      } catch (e) {
        throw new EvidentError('E_IO', `cannot read the TLS certificate or key: ${(e as Error).message}`);
      }
      const server = await startAdmissionServer({
        ctx: decideContext(rules, policy, process.env.POD_NAMESPACE),
        log,
        tlsCert,
        tlsKey: o.tlsKey,
        port,
        host: o.host,
        onEvent: say,
      }).catch(async (e) => {
        await log.close();
        throw new EvidentError('E_USAGE', `cannot start the webhook: ${(e as Error).message}`);
      });
      say(
        `listening on https://${o.host}:${server.port}/validate (${rules.checks.filter((c) => c.input === 'kubernetes').length} Kubernetes rules, mode ${policy.mode}, log ${ledgerDir})`,
      );
      await new Promise<void>((done) => {
        const stop = () => {
          say('stopping: flushing decisions');
          void server.close().then(done, done);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });

  cmd
    .command('review')
    .description(
      'Print each object of manifest FILEs as the AdmissionReview v1 an API server would send (one JSON per line)',
    )
    .argument('<file...>', 'Kubernetes manifest files (YAML, multi-document)')
    .option('--namespace <ns>', 'namespace of objects that name none', 'default')
    .addHelpText('after', exitCodesHelp({ 0: 'reviews printed', 2: USAGE_ERROR }))
    .action(async (files: string[], o: { namespace: string }) => {
      const { parseAllDocuments } = await import('yaml');
      const { reviewForObject } = await import('../../admission/review.js');
      const out: string[] = [];
      for (const file of files) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new EvidentError('E_IO', `cannot read ${file}: ${(e as Error).message}`, { file });
        }
        let n = 0;
        for (const doc of parseAllDocuments(text)) {
          n++;
          const err = doc.errors[0];
          if (err) {
            throw new EvidentError('E_INPUT_INVALID', `${file}: document ${n}: ${err.message}`, {
              file,
              line: err.linePos?.[0]?.line,
            });
          }
          const value = doc.toJS() as unknown;
          const objects =
            isObject(value) &&
            typeof value.kind === 'string' &&
            value.kind.endsWith('List') &&
            Array.isArray(value.items)
              ? value.items
              : [value];
          for (const obj of objects) {
            if (!isObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string')
              continue;
            out.push(JSON.stringify(reviewForObject(obj, `${file}#${n}-${out.length + 1}`, o.namespace)));
          }
        }
      }
      writeReport(out.join('\n'), undefined, 'reviews');
    });

  cmd
    .command('manifests')
    .description(
      'Print the Deployment, Service, PodDisruptionBudget and ValidatingWebhookConfiguration that install the webhook',
    )
    .requiredOption('--image <ref>', 'evident image pinned by digest: NAME@sha256:<64 hex>')
    .option('--namespace <ns>', 'namespace of the webhook', 'evident-system')
    .option('--name <name>', 'name of the objects', 'evident-admission')
    .option('--replicas <n>', 'replicas (each signs its own batches)', '2')
    .option('--ca-bundle <file>', 'PEM CA certificate that signed the serving certificate (caBundle)')
    .option('--failure-policy <policy>', 'Fail or Ignore when the webhook cannot answer', 'Fail')
    .option('--timeout <seconds>', 'timeoutSeconds (1..30)', '5')
    .option(
      '--tls-secret <name>',
      'kubernetes.io/tls Secret with tls.crt and tls.key',
      'evident-admission-tls',
    )
    .option('--config-map <name>', 'ConfigMap with evident.yaml', 'evident-config')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .addHelpText('after', exitCodesHelp({ 0: 'manifests printed', 2: USAGE_ERROR }))
    .action(async (o: Record<string, string>) => {
      const { admissionManifests } = await import('../../admission/manifests.js');
      if (o.failurePolicy !== 'Fail' && o.failurePolicy !== 'Ignore') {
        throw new EvidentError('E_USAGE', `--failure-policy ${o.failurePolicy}: use Fail or Ignore`);
      }
      let caBundlePem: string | undefined;
      if (o.caBundle) {
        try {
          caBundlePem = readFileSync(o.caBundle, 'utf8');
        } catch (e) {
          throw new EvidentError('E_IO', `cannot read --ca-bundle ${o.caBundle}: ${(e as Error).message}`);
        }
      }
      const text = admissionManifests({
        image: o.image as string,
        namespace: o.namespace as string,
        name: o.name as string,
        replicas: Math.max(1, positiveInt('--replicas', o.replicas as string, 100)),
        caBundlePem,
        failurePolicy: o.failurePolicy,
        timeoutSeconds: Number(o.timeout),
        tlsSecret: o.tlsSecret as string,
        configMap: o.configMap as string,
      });
      writeReport(text, o.output, 'manifests');
    });
}
