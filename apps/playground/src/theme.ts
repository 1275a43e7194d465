import { useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';

const KEY = 'gilkit-theme';

/** The page theme: starts from what index.html chose before first paint, persists the visitor's choice. */
export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() =>
    document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light',
  );
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const choose = (t: Theme) => {
    setTheme(t);
    try {
      localStorage.setItem(KEY, t);
    } catch {
      // Storage can be disabled (private mode, sandboxed iframe): the choice then lasts this visit.
    }
  };
  return [theme, choose];
}
