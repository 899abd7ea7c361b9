import { CSV_ESCAPING_NOTE } from './csv-safe.js';
import type { BundleModel } from './period-model.js';

/** Python 3 (standard library only) RFC 9162 §2.1.3.2 inclusion-proof check, shipped inside AUDITOR.md. */
export const INCLUSION_SCRIPT = `import base64, hashlib, json, sys

entry_file, proof_file, checkpoint_file = sys.argv[1:4]
leaf = hashlib.sha256(b"\\x00" + open(entry_file, "rb").read()).digest()
proof = json.load(open(proof_file))
root = base64.b64decode(open(checkpoint_file).read().split("\\n")[2])
fn, sn, r = proof["index"], proof["treeSize"] - 1, leaf
assert leaf.hex() == proof["leafHash"], "leaf hash differs from the proof file"
for p in (bytes.fromhex(h) for h in proof["hashes"]):
    assert sn != 0, "proof too long"
    if fn & 1 or fn == sn:
        r = hashlib.sha256(b"\\x01" + p + r).digest()
        while not fn & 1 and fn != 0:
            fn >>= 1
            sn >>= 1
    else:
        r = hashlib.sha256(b"\\x01" + r + p).digest()
    fn >>= 1
    sn >>= 1
assert sn == 0 and r == root, "inclusion proof does NOT verify against the checkpoint root"
print("OK: entry", proof["index"], "is in the tree of size", proof["treeSize"], "with root", root.hex())
`;

/** Zero-padded entry file stem, e.g. `000012`. */
export function entryStem(index: number): string {
  return String(index).padStart(6, '0');
}

/**
 * Renders the bundle's `AUDITOR.md`: what the bundle holds (period, log origin, tree size, root hash, key id and
 * SPKI fingerprint, entry count) and how to verify it — with `evident verify`, and independently with
 * `sha256sum`, `openssl` (≥ 3.0, Ed25519 `pkeyutl -rawin`) and POSIX shell tools, plus a Python 3 recipe for the
 * Merkle inclusion proofs. `entryIndices` are the log indices carried; `example` is the one used in commands.
 */
export function renderAuditorMd(model: BundleModel, entryIndices: readonly number[]): string {
  const ex = entryStem(entryIndices[0] ?? 0);
  const lines = [
    `# Evident audit bundle — ${model.period.from} to ${model.period.to}`,
    '',
    'This bundle is the signed evidence of every Evident run recorded in the period, with reports derived from it.',
    'Do not trust the reports alone: verify the bundle first, with a public key you obtained from the organisation',
    'through a channel other than this bundle. The key inside the bundle (`keys/evident.pub`) is for comparison only.',
    '',
    '| | |',
    '| --- | --- |',
    `| Period (UTC, inclusive) | ${model.period.from} – ${model.period.to} |`,
    `| Framework filter | ${model.framework ?? 'all frameworks'} |`,
    `| Created | ${model.createdAt} |`,
    `| Log origin | \`${model.log.origin}\` |`,
    `| Checkpoint tree size | ${model.log.treeSize} |`,
    `| Checkpoint root hash (hex) | \`${model.log.rootHash}\` |`,
    `| Signing key id | \`${model.key.keyId}\` |`,
    `| Signing key SPKI SHA-256 fingerprint | \`${model.key.fingerprintHex}\` |`,
    `| Entries in this bundle | ${entryIndices.length} (${model.runs.length} scan runs, ${model.manual.length} manual evidence) |`,
    '',
    '## Contents',
    '',
    '- `manifest.json` — the period, the log checkpoint, every entry (index, leaf hash, predicate type, time) and the',
    '  SHA-256 of every other file. `SHA256SUMS` — the same digests in `sha256sum` format (plus `manifest.json` and',
    '  the manifest signature files).',
    "- `manifest.dsse.json` — when exported with the signing key: the signed statement of `manifest.json`'s SHA-256 and",
    "  of the complete list of the period's entry indexes; `manifest.pae.bin` / `manifest.sig.bin` — its PAE bytes and",
    '  raw Ed25519 signature.',
    '- `checkpoint.txt` — the log checkpoint (C2SP tlog-checkpoint, signed note): origin, tree size, base64 root hash.',
    '- `entries/NNNNNN.dsse.json` — each DSSE envelope exactly as logged (canonical JSON, RFC 8785); the Merkle leaf is',
    '  SHA-256(0x00 ‖ file bytes). `entries/NNNNNN.pae.bin` — the DSSE v1 PAE bytes that were signed;',
    '  `entries/NNNNNN.sig.bin` — the raw 64-byte Ed25519 signature.',
    '- `proofs/NNNNNN.json` — RFC 9162 inclusion proof of the entry in the checkpoint tree.',
    '- `blobs/sha256/<hex>` — content-addressed inputs and documents the statements reference.',
    '- `report/index.html`, `report/findings.csv`, `report/controls.csv`, `report/vulnerabilities.csv` (remediation population: first seen, resolved at, deadline, met), `report/oscal-assessment-results.json` —',
    '  views derived from the entries (`evident verify` re-derives them and compares byte for byte).',
    '',
    `CSV note: ${CSV_ESCAPING_NOTE}`,
    '',
    '## 1. Verify with Evident',
    '',
    '```sh',
    'evident verify evident-bundle-<from>_<to>.tar.gz --key /path/to/your/evident.pub',
    '```',
    '',
    'It checks every file digest, the manifest signature and that the bundle holds exactly the signed list of the',
    "period's entries, every DSSE signature against the key you pass (never the one in the bundle), every inclusion",
    'proof against the signed checkpoint, every blob digest, and re-derives the reports. Exit code 0 = ok. A bundle',
    'without a signed manifest fails (`manifest-signature`) unless you pass `--allow-unsigned`.',
    '',
    '## 2. Verify independently with sha256sum, openssl and a shell',
    '',
    'Run these inside the extracted `evident-bundle/` directory. `PUB` is your own copy of the public key.',
    '',
    '1. File digests:',
    '',
    '   ```sh',
    '   sha256sum -c SHA256SUMS',
    '   ```',
    '',
    '2. The key: both fingerprints must equal the one the organisation gave you.',
    '',
    '   ```sh',
    '   openssl pkey -pubin -in "$PUB" -outform DER | sha256sum',
    '   openssl pkey -pubin -in keys/evident.pub -outform DER | sha256sum',
    '   ```',
    '',
    '3. The checkpoint signature (signed note: the first three lines are signed; the signature line carries a',
    '   4-byte key hash then the 64-byte Ed25519 signature, base64):',
    '',
    '   ```sh',
    '   head -n 3 checkpoint.txt > /tmp/checkpoint.body',
    "   tail -n 1 checkpoint.txt | sed 's/.* //' | base64 -d | tail -c 64 > /tmp/checkpoint.sig",
    '   openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in /tmp/checkpoint.body -sigfile /tmp/checkpoint.sig',
    '   ```',
    '',
    '4. The manifest signature and the completeness of the period. `manifest.dsse.json` is a DSSE envelope whose',
    '   in-toto statement (predicate type `https://evident.dev/attestations/bundle-manifest/v1`) names `manifest.json`',
    '   with its SHA-256 and lists in `entryIndexes` the log indexes of ALL entries of the log (up to the checkpoint',
    '   tree size) whose time falls in the period. Check the signature, that the PAE and signature files are the',
    "   envelope's, that the signed digest is this `manifest.json`, and that `entries/` holds exactly the signed list:",
    '',
    '   ```sh',
    '   openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in manifest.pae.bin -sigfile manifest.sig.bin',
    '   M=manifest.dsse.json',
    `   sed -E 's/^\\{"payload":"([^"]*)".*/\\1/' "$M" | base64 -d > /tmp/manifest-statement.json`,
    `   T=$(sed -E 's/.*"payloadType":"([^"]*)".*/\\1/' "$M")`,
    `   { printf 'DSSEv1 %d %s %d ' "\${#T}" "$T" "$(wc -c < /tmp/manifest-statement.json)"; cat /tmp/manifest-statement.json; } | cmp - manifest.pae.bin`,
    `   sed -E 's/.*"sig":"([^"]*)".*/\\1/' "$M" | base64 -d | cmp - manifest.sig.bin`,
    '   grep -qF "$(sha256sum manifest.json | cut -c1-64)" /tmp/manifest-statement.json',
    `   SIGNED=$(sed -E 's/.*"entryIndexes":\\[([0-9,]*)\\].*/\\1/' /tmp/manifest-statement.json)`,
    `   HELD=$(ls entries | sed -n 's/^0*\\([0-9][0-9]*\\)\\.dsse\\.json$/\\1/p' | sort -n | paste -sd, -)`,
    '   test "$SIGNED" = "$HELD" && echo "the bundle holds exactly the signed entries: $SIGNED"',
    '   ```',
    '',
    '   Also read `/tmp/manifest-statement.json`: its `predicate.period` must be the period you asked for, and',
    '   `predicate.log` must match `checkpoint.txt`. Without `manifest.dsse.json` the manifest is UNSIGNED (exported',
    '   without the private key): every entry is still signed, but nothing proves that no entry of the period was',
    '   left out (with the manifest and reports rewritten to match). Ask for a bundle exported with the signing key.',
    '',
    `5. Each entry's signature (here entry ${ex}; repeat for every \`entries/*.dsse.json\`):`,
    '',
    '   ```sh',
    `   openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in entries/${ex}.pae.bin -sigfile entries/${ex}.sig.bin`,
    '   ```',
    '',
    '6. That the signed PAE bytes and signature are the ones in the envelope (DSSE v1 PAE is',
    '   `"DSSEv1" SP len(type) SP type SP len(payload) SP payload`):',
    '',
    '   ```sh',
    `   E=entries/${ex}.dsse.json`,
    `   sed -E 's/^\\{"payload":"([^"]*)".*/\\1/' "$E" | base64 -d > /tmp/payload`,
    `   T=$(sed -E 's/.*"payloadType":"([^"]*)".*/\\1/' "$E")`,
    `   { printf 'DSSEv1 %d %s %d ' "\${#T}" "$T" "$(wc -c < /tmp/payload)"; cat /tmp/payload; } | cmp - entries/${ex}.pae.bin`,
    `   sed -E 's/.*"sig":"([^"]*)".*/\\1/' "$E" | base64 -d | cmp - entries/${ex}.sig.bin`,
    '   ```',
    '',
    '   `/tmp/payload` is the in-toto statement (JSON): its `predicate` holds the scan result or manual evidence.',
    '',
    '7. The Merkle leaf and inclusion proof: the leaf hash is',
    '',
    '   ```sh',
    `   { printf '\\000'; cat entries/${ex}.dsse.json; } | sha256sum`,
    '   ```',
    '',
    '   and must equal `leafHash` in `proofs/NNNNNN.json` and `manifest.json`. To check the proof against the root in',
    '   `checkpoint.txt` (RFC 9162 §2.1.3.2), save this as `verify_inclusion.py` and run',
    `   \`python3 verify_inclusion.py entries/${ex}.dsse.json proofs/${ex}.json checkpoint.txt\`:`,
    '',
    '```python',
    INCLUSION_SCRIPT.trimEnd(),
    '```',
    '',
    'If all steps pass for every entry, the entries are exactly those the organisation logged and signed, they sit in',
    'the log at the stated positions, the checkpoint covering them is signed by the key you hold, and (step 4) they',
    'are all the entries the key holder found in the period.',
    '',
  ];
  return lines.join('\n');
}
