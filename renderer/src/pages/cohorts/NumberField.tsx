import TextField from '@mui/material/TextField';
import { useState } from 'react';

interface NumberFieldProps {
  label: string;
  value: number | undefined;
  onChange(value: number): void;
  /** Called when the field is emptied; without it an empty field keeps the last number. */
  onClear?: () => void;
}

/**
 * A whole-number field that keeps what the user types ("-", "") while it is
 * not yet a number, and reports only whole numbers. It reads `value` once;
 * the builder remounts it when a whole definition is loaded.
 */
export function NumberField({ label, value, onChange, onClear }: NumberFieldProps) {
  const [text, setText] = useState(value === undefined ? '' : String(value));

  return (
    <TextField
      size="small"
      label={label}
      value={text}
      inputMode="numeric"
      onChange={(event) => {
        const next = event.target.value;
        setText(next);
        if (next.trim() === '') onClear?.();
        else if (/^-?\d+$/.test(next.trim())) onChange(Number(next));
      }}
      sx={{ width: 130 }}
    />
  );
}
