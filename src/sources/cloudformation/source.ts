import type { Source } from '../../core/source.js';
import { hasTemplateExtension, looksLikeTemplate } from './detect.js';
import { loadCloudFormation } from './load.js';

/** How many bytes of a candidate file are read to decide whether it is a template. */
export const TEMPLATE_SNIFF_BYTES = 64 * 1024;

/**
 * CloudFormation templates (YAML or JSON, SAM included): `*.yaml`, `*.yml`, `*.json` and `*.template`
 * files recognised by content (src/sources/cloudformation/detect.ts). It claims before the Kubernetes
 * source, so a template is never read as a manifest. `--parameter NAME=VALUE` gives parameter and
 * pseudo parameter values. Facts: {@link import('../../core/facts.js').CloudFormationResource}.
 */
export const cloudformationSource: Source<'cloudformation'> = {
  id: 'cloudformation',
  facts: 'cloudformation',
  title: 'CloudFormation templates',
  reads:
    '`*.yaml`, `*.yml`, `*.json`, `*.template` files that are CloudFormation templates (top-level `AWSTemplateFormatVersion`, or `Resources` with `AWS::`/`Custom::` types), SAM included, with `--parameter` values',
  priority: 50,
  fixtureSuffixes: ['.cfn.yaml', '.cfn.yml', '.cfn.json', '.template'],
  async claim(files, ctx) {
    const out = [];
    for (const f of files) {
      if (!hasTemplateExtension(f.name)) continue;
      const head = await ctx.head(f, TEMPLATE_SNIFF_BYTES);
      if (head !== undefined && looksLikeTemplate(head)) out.push(f);
    }
    return out;
  },
  async load(files, ctx) {
    const out = await loadCloudFormation(
      ctx.root,
      files.map((f) => f.abs),
      { parameters: ctx.options.cfnParameters },
    );
    if (files.length)
      ctx.progress(`read ${out.stats.templates} CloudFormation templates (${out.facts.length} resources)`);
    return { facts: out.facts, inputs: out.inputs, skipped: out.skipped, diagnostics: out.diagnostics };
  },
};
