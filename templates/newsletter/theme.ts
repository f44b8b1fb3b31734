/** Colours that read on white and survive the dark-mode inversion of Gmail and Outlook apps. */
export const theme = {
  // Single quotes: MJML writes this into style="…" attributes.
  fontStack: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif",
  page: '#f2f3f5',
  card: '#ffffff',
  text: '#1f2328',
  muted: '#57606a',
  accent: '#b31b1b',
  buttonBg: '#b31b1b',
  buttonText: '#ffffff',
  rule: '#d8dee4',
  /** A reader's matched terms. */
  mark: '#fff0a0',
  dark: { page: '#161719', card: '#1f2023', text: '#e6e8eb', muted: '#a4abb3', accent: '#ff8a80', rule: '#34383d', mark: '#5a4a00' },
} as const;
