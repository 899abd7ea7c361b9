/** Labelled form controls used by the filter bars. Every control has a visible <label>. */
import { type ReactNode, useId } from 'react';

/** A labelled <select>. `options` are [value, label] pairs. */
export function SelectField({
  label,
  value,
  options,
  onChange,
  name,
}: {
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange(v: string): void;
  name?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled <input>; `onChange` fires on every edit (callers debounce or submit as they need). */
export function InputField({
  label,
  value,
  onChange,
  type = 'text',
  name,
  hint,
  required,
  min,
  autoComplete,
}: {
  label: string;
  value: string;
  onChange(v: string): void;
  type?: string;
  name?: string;
  hint?: string;
  required?: boolean;
  min?: number;
  autoComplete?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        required={required}
        min={min}
        autoComplete={autoComplete}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint ? (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

/** A row of filters, labelled as a group. */
export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <fieldset className="filters">
      <legend className="visually-hidden">{label}</legend>
      {children}
    </fieldset>
  );
}
