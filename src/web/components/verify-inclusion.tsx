/**
 * The "verify" action: re-checks a log entry's inclusion proof against the log's latest checkpoint on the server
 * (`GET /api/entries/{id}/inclusion`) and shows what was checked: leaf hash, audit path, tree size, root hash and
 * the checkpoint signature.
 */
import { useState } from 'react';
import type { Inclusion } from '../../server/api-schemas.js';
import { ApiError, api } from '../api/client.js';
import { ErrorNote } from './page.js';

/** Button and result panel for indexed entry `entryId`. */
export function VerifyInclusion({ entryId }: { entryId: number }) {
  const [result, setResult] = useState<Inclusion>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.inclusion(entryId));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'E_CLIENT', String(err)));
    } finally {
      setBusy(false);
    }
  };
  const ok = result?.included === true;
  return (
    <section className="verify" aria-labelledby={`verify-${entryId}`}>
      <h2 id={`verify-${entryId}`}>Inclusion in the evidence log</h2>
      <button type="button" onClick={run} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify inclusion proof'}
      </button>
      <div role="status" aria-live="polite">
        {result ? (
          <div className={`verify-result ${ok ? 'ok' : 'bad'}`} data-testid="verify-result">
            <p className="verify-verdict">
              {ok
                ? `Included: entry ${result.index} is in the ${result.source} log of ${result.treeSize} entries.`
                : `NOT verified: entry ${result.index} does not prove inclusion in the ${result.source} log.`}
            </p>
            <dl className="facts">
              <dt>Leaf hash (recomputed)</dt>
              <dd className="mono">{result.leafHash}</dd>
              <dt>Leaf hash matches the index</dt>
              <dd>{result.leafMatchesIndex ? 'yes' : 'no'}</dd>
              <dt>Audit path</dt>
              <dd>{result.proof.length} hashes</dd>
              <dt>Checkpoint tree size</dt>
              <dd>{result.treeSize}</dd>
              <dt>Checkpoint root hash</dt>
              <dd className="mono">{result.rootHash}</dd>
              <dt>Checkpoint signature</dt>
              <dd>
                {result.checkpointSignature.ok ? 'valid' : 'not checked here'}:{' '}
                {result.checkpointSignature.detail}
              </dd>
            </dl>
          </div>
        ) : null}
      </div>
      {error ? <ErrorNote error={error} what="the inclusion proof" /> : null}
    </section>
  );
}
