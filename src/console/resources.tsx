/** The resources bound to a deployment's peerings: bind one, remove one (confirmed), each named with its peering. */
import { useState } from 'react';
import { fill, useI18n } from './i18n';
import type { Api, ApiError, Peering, Resource } from './api';
import { peeringName } from './outcome';
import { Dialog, ErrorBox, Section } from './ui';

export function ResourceForm(props: {
  api: Api;
  deploymentId: string;
  resources: Resource[];
  peerings: Peering[];
  reload: () => void;
}) {
  const { api, deploymentId, resources, reload } = props;
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [removing, setRemoving] = useState<Resource | null>(null);
  const peeringOf = (id: string) => props.peerings.find((p) => p.id === id);
  return (
    <Section title={t.resources} id="resources">
      {resources.length === 0 && <p>{t.noResources}</p>}
      <ul className="plain">
        {resources.map((r) => {
          const p = peeringOf(r.peeringId);
          return (
            <li key={r.id}>
              {r.name} <code>{r.address}</code> →{' '}
              <a href={`#/p/${r.peeringId}`}>
                {t.peering} {p ? peeringName(p) : '…'}
              </a>{' '}
              <button
                type="button"
                aria-label={fill(t.removeResource, { name: r.name })}
                onClick={() => setRemoving(r)}
              >
                {t.remove}
              </button>
            </li>
          );
        })}
      </ul>
      {removing && (
        <Dialog title={fill(t.confirmRemoveResource, { name: removing.name })} onClose={() => setRemoving(null)}>
          <p>
            <code>{removing.address}</code>
          </p>
          <div className="nav">
            <button type="button" onClick={() => setRemoving(null)}>
              {t.cancel}
            </button>
            <button
              type="button"
              className="danger"
              onClick={async () => {
                const r = removing;
                setRemoving(null);
                try {
                  await api.call('DELETE', `/v1/resources/${r.id}`);
                  setError(null);
                } catch (err) {
                  setError(err as ApiError);
                }
                reload();
              }}
            >
              {fill(t.removeResource, { name: removing.name })}
            </button>
          </div>
        </Dialog>
      )}
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.call('POST', '/v1/resources', { deploymentId, name, address });
            setName('');
            setAddress('');
            setError(null);
            reload();
          } catch (err) {
            setError(err as ApiError);
          }
        }}
      >
        <label>
          {t.resourceName}
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          {t.resourceAddress}
          <input value={address} onChange={(e) => setAddress(e.target.value)} required placeholder="172.31.10.5:5432" />
        </label>
        <button type="submit">{t.bind}</button>
      </form>
      <ErrorBox error={error} />
    </Section>
  );
}
