import type { EditorProps } from './Editor.js';

/** A textarea with the editor's contract: shown while CodeMirror loads, and usable on its own. */
export function PlainEditor({ value, onChange, onRun, label }: EditorProps) {
  return (
    <textarea
      className="editor editor-plain"
      aria-label={label}
      spellCheck={false}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          onRun();
        }
      }}
    />
  );
}
