// The report's PDF: headless Chromium's print-to-PDF of the HTML (Debian's chromium, found or
// installed by tools/browser/chromium.ts, driven by playwright-core, which downloads no browser of
// its own), A4 with 12 mm margins and a footer naming the portfolio, day and page.

import { RisklineError } from '../../errors/catalogue.js';
import { CHROMIUM_ARGS, chromiumPath } from '../../tools/browser/chromium.js';
import { esc } from './format.js';

/** How long Chromium may take to start and print before the report gives up. */
const PRINT_TIMEOUT_MS = 60_000;

export async function printPdf(html: string, footer: string): Promise<Buffer> {
  let executablePath: string;
  let chromium: typeof import('playwright-core').chromium;
  try {
    executablePath = chromiumPath();
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    throw new RisklineError('UNAVAILABLE', `the PDF needs headless Chromium: ${(err as Error).message}`);
  }
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: PRINT_TIMEOUT_MS });
  try {
    const page = await browser.newPage();
    // Nothing to fetch: the document is self-contained, so any request is refused rather than waited on.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load', timeout: PRINT_TIMEOUT_MS });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', right: '12mm', bottom: '16mm', left: '12mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate:
        '<div style="font-size:7px;width:100%;margin:0 12mm;color:#666;display:flex;justify-content:space-between">' +
        `<span>${esc(footer)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    });
  } finally {
    await browser.close();
  }
}
