/**
 * Auditor bundle export: a period and optionally one framework; the server builds a signed bundle of its log
 * (`GET /api/export`) and the browser saves it. Shows how to verify it offline and the keys needed.
 */
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.js';
import { InputField, SelectField } from '../components/fields.js';
import { ErrorNote, Page } from '../components/page.js';
import { frameworkName, isoDay } from '../format.js';
import { useApi } from '../hooks.js';

const FRAMEWORKS = ['soc2', 'iso27001-2022', 'hipaa', 'gdpr'];

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `/export` */
export function ExportPage() {
  const now = new Date();
  const [from, setFrom] = useState(isoDay(new Date(Date.UTC(now.getUTCFullYear(), 0, 1))));
  const [to, setTo] = useState(isoDay(now));
  const [framework, setFramework] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const checkpoint = useApi(() => api.checkpoint(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const b = await api.exportBundle({ from, to, framework: framework || undefined });
      save(b.blob, b.fileName);
      setDone(`Saved ${b.fileName} (${Math.ceil(b.blob.size / 1024)} KiB).`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'E_CLIENT', String(err)));
    } finally {
      setBusy(false);
    }
  };

  const downloadKey = () => {
    const pem = checkpoint.data?.publicKeyPem;
    if (pem) save(new Blob([pem], { type: 'application/x-pem-file' }), 'evident-server.pub');
  };

  return (
    <Page title="Export an auditor bundle">
      <p>
        The bundle holds the runs recorded in the period, their signed envelopes and blobs, the inclusion
        proofs and the server log's signed checkpoint, so an auditor verifies it offline.
      </p>
      <form className="form" onSubmit={submit} aria-label="Bundle period">
        <InputField label="From" type="date" value={from} onChange={setFrom} required name="from" />
        <InputField label="To" type="date" value={to} onChange={setTo} required name="to" />
        <SelectField
          label="Framework"
          name="framework"
          value={framework}
          onChange={setFramework}
          options={[['', 'All frameworks'], ...FRAMEWORKS.map((f) => [f, frameworkName(f)] as const)]}
        />
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Building the bundle…' : 'Export bundle'}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {done ? <p className="ok-note">{done}</p> : null}
      </div>
      {error ? <ErrorNote error={error} what="the bundle" /> : null}
      <section aria-labelledby="verify-h">
        <h2 id="verify-h">Verify it</h2>
        <p>
          <code>evident verify BUNDLE.tar.gz --key evident-server.pub --entry-key REPOSITORY-CI.pub</code>
        </p>
        <p>
          The checkpoint is signed by the server key; each run keeps the signature of its repository's CI key
          (listed under Repositories).
        </p>
        {checkpoint.data?.publicKeyPem ? (
          <button type="button" onClick={downloadKey}>
            Download the server public key
          </button>
        ) : (
          <p className="muted">This server has no signing key: it cannot back a bundle.</p>
        )}
        {checkpoint.data ? (
          <p className="muted">
            Server log: {checkpoint.data.size} entries, root hash{' '}
            <span className="mono">{checkpoint.data.rootHash || '–'}</span>
          </p>
        ) : null}
      </section>
    </Page>
  );
}
