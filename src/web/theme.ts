/**
 * Light and dark themes: by default the system's `prefers-color-scheme`; the toggle stores an explicit choice in
 * localStorage and sets `data-theme` on <html>, which the CSS variables follow.
 */
import { createContext, useEffect, useState } from 'react';

/** The user's choice. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'evident-theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** Applies the stored choice to <html> (call before the first render, so no light flash on a dark page). */
export function applyStoredTheme(): void {
  apply(stored());
}

function apply(choice: ThemeChoice): void {
  const el = document.documentElement;
  if (choice === 'system') delete el.dataset.theme;
  else el.dataset.theme = choice;
}

/** The theme in effect: the explicit choice, else the system's. */
export function effectiveTheme(choice: ThemeChoice): 'light' | 'dark' {
  return choice === 'system' ? (media().matches ? 'dark' : 'light') : choice;
}

/** The current choice, its effective theme, and a setter (persisted). */
export function useTheme(): {
  choice: ThemeChoice;
  theme: 'light' | 'dark';
  setChoice(c: ThemeChoice): void;
} {
  const [choice, setChoiceState] = useState<ThemeChoice>(stored);
  const [systemDark, setSystemDark] = useState(() => media().matches);
  useEffect(() => {
    const m = media();
    const on = () => setSystemDark(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  const setChoice = (c: ThemeChoice) => {
    try {
      if (c === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, c);
    } catch {
      // storage refused (private mode): the choice lasts for this page
    }
    apply(c);
    setChoiceState(c);
  };
  return { choice, theme: choice === 'system' ? (systemDark ? 'dark' : 'light') : choice, setChoice };
}

/** The effective theme, for components that draw (charts read it to re-render their colours). */
export const ThemeContext = createContext<'light' | 'dark'>('light');
