import { useId } from 'react';
import { NumberField } from './NumberField.js';
import { LIMITS, POLICIES, type Policy, RUNTIMES, type Runtime, type Settings } from './settings.js';

export interface SettingsFormProps {
  settings: Settings;
  onChange(next: Settings): void;
  compareWith: Policy | null;
  onCompareChange(next: Policy | null): void;
  /** Why real threads are unavailable, or null when they can be used. */
  realThreadsUnavailable: string | null;
}

/** Runtime, policy, cores, switch interval, seed, and Compare mode. */
export function SettingsForm({
  settings,
  onChange,
  compareWith,
  onCompareChange,
  realThreadsUnavailable,
}: SettingsFormProps) {
  const id = useId();
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) =>
    onChange({ ...settings, [key]: value });
  return (
    <fieldset className="settings">
      <legend>Settings</legend>
      <div className="field">
        <label htmlFor={`${id}-runtime`}>Runtime</label>
        <select
          id={`${id}-runtime`}
          value={settings.runtime}
          onChange={(e) => set('runtime', e.target.value as Runtime)}
        >
          {RUNTIMES.map((r) => (
            <option
              key={r.value}
              value={r.value}
              disabled={r.value === 'workers' && realThreadsUnavailable !== null}
            >
              {r.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-policy`}>Policy</label>
        <select
          id={`${id}-policy`}
          value={settings.policy}
          onChange={(e) => set('policy', e.target.value as Policy)}
        >
          {POLICIES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <NumberField
        label="Cores"
        value={settings.cores}
        {...LIMITS.cores}
        step={1}
        integer
        onChange={(v) => set('cores', v)}
      />
      <NumberField
        label="Switch interval (ms)"
        value={settings.switchIntervalMs}
        {...LIMITS.switchIntervalMs}
        step={0.5}
        onChange={(v) => set('switchIntervalMs', v)}
      />
      <NumberField
        label="Seed"
        value={settings.seed}
        {...LIMITS.seed}
        step={1}
        integer
        onChange={(v) => set('seed', v)}
      />
      <div className="field compare">
        <label>
          <input
            type="checkbox"
            checked={compareWith !== null}
            onChange={(e) =>
              onCompareChange(
                e.target.checked ? (settings.policy === 'free-threaded' ? 'cpython' : 'free-threaded') : null,
              )
            }
          />{' '}
          Compare with
        </label>
        <select
          aria-label="Second policy for Compare mode"
          value={compareWith ?? ''}
          disabled={compareWith === null}
          onChange={(e) => onCompareChange(e.target.value as Policy)}
        >
          {compareWith === null && <option value="">(off)</option>}
          {POLICIES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      {realThreadsUnavailable && (
        <p className="hint full">Real threads unavailable: {realThreadsUnavailable}</p>
      )}
    </fieldset>
  );
}
