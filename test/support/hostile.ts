import { readableText } from '../../functions/domain/latex-text.ts';
/** A digest whose fields hold what an attacker or a broken translator could put there. */
export const HOSTILE_TITLE = 'Beyond <script>alert(1)</script> & "quotes" ]]> and ]]> again: $\\alpha<\\beta$ 😀 <Object> H&amp;E';
export const HOSTILE_ZH = '标题 <img src=x onerror=alert(2)> ]]> 中文 🚀';
export const HOSTILE_ABSTRACT = `p<0.01 & ${'very long line '.repeat(300)}"><img src=x onerror="window.__pwned=1"> \`\`TeX quotes'' \\textbf{x} end`;
export const HOSTILE_AUTHOR = 'Eve <eve@example.com>';

export function hostileDigest(date = '2024-12-02'): string {
  return [
    `## [UPDATED!] **${date}** (Publish Time)`,
    '',
    '>## **生成模型**',
    '>---',
    '>>**index:** 1<br />',
    `**Title:** **${HOSTILE_TITLE}\u0007\u001b**<br />`,
    `**Title_cn:** ${HOSTILE_ZH}<br />`,
    `**Authors:** ${HOSTILE_AUTHOR}, Mallory & Co<br />`,
    `**Abstract:** <details><summary>原文: </summary>${HOSTILE_ABSTRACT}</details>`,
    `**Abstract_cn:** <details><summary>译文: </summary>摘要 <b>粗体</b> & 😀</details>`,
    '**PDF:** <http://arxiv.org/pdf/2412.00001v1><br />',
    '**Code:** <javascript:alert(3)>**<br />',
    '',
    '>## **<b>Evil</b> & Co**',
    '>---',
    '>>**index:** 1<br />',
    '**Title:** **A normal title**<br />',
    '**Authors:** A. Person<br />',
    '**PDF:** <http://arxiv.org/pdf/2412.00002v1><br />',
    '**Code:** null<br />',
    '',
  ].join('\n');
}

/** The title as readers see it: its simple LaTeX (`$\alpha<\beta$`) rendered as Unicode. */
export const HOSTILE_TITLE_SHOWN = readableText(HOSTILE_TITLE);
