// The portfolio view's panels that answer questions, on a market that holds still (a tick every
// few minutes), so what the page shows and what REST answers are of one state: Explain this number
// against the risk snapshot's provenance and components, the what-if panel against
// `POST /v1/risk/what-if`, and grouped subtotals against sums of REST's positions.
import { mkdirSync } from 'node:fs';
import t from 'tap';
import { eventually } from '../eventually.js';
import { startEmbedded, testConfig } from '../e2e/helpers.js';
import { launchBrowser, money, SHOTS, signedMoney, type Positions, type Risk } from './harness.js';

t.setTimeout(600_000);
const config = testConfig({ simulator: { ticksPerSecond: 0.005, executionsPerSecond: 0 } });
const running = await startEmbedded(config);
t.teardown(() => running.close());
const browser = await launchBrowser(t);
const base = `http://127.0.0.1:${running.port}`;
const id = config.portfolios[0].id;
const get = async <T>(path: string): Promise<T> => (await (await fetch(`${base}${path}`)).json()) as T;

const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
t.teardown(() => page.close());
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(e.message));
await page.goto(`${base}/#/portfolio/${id}`);
await page.locator('[data-measure="monteCarlo-1-0.99"]').waitFor({ timeout: 120_000 });

t.test('Explain this number: the provenance and largest contributors of the risk run shown', async (t) => {
  await page.locator('[data-measure="monteCarlo-1-0.99"] td').nth(3).locator('button').click();
  const dialog = page.locator('dialog.explain');
  await dialog.waitFor();
  const risk = await get<Risk>(`/v1/portfolios/${id}/risk`);
  const row = (k: string) => dialog.locator(`[data-provenance="${k}"] td`).textContent();
  const measure = risk.data.measures.find(
    (m) => m.method === 'monteCarlo' && m.horizonDays === 1 && m.confidence === 0.99,
  )!;
  const set = risk.data.provenance.sets.find((s) => s.method === 'monteCarlo' && s.horizonDays === 1)!;
  t.equal(await row('Input seq'), String(risk.inputSeq), "the run it explains is REST's current one");
  t.equal(await dialog.locator('h3').textContent(), `VaR ${money(measure.var)}`, 'the figure clicked');
  t.equal(await row('Seed'), String(set.seed), "the scenario set's seed");
  t.equal(await row('Scenarios'), money(set.scenarios), 'its size');
  t.match(await row('Backend'), /^cpu|^ts|^gpujs|^cuda/, 'the backend');
  const top = [...risk.data.components]
    .sort((a, b) => Math.abs(b.componentVar) - Math.abs(a.componentVar))
    .slice(0, 10)
    .map((c) => [c.instrument, signedMoney(c.componentVar)]);
  const shown = await dialog.locator('[data-contributor]').evaluateAll((rows) =>
    rows.map((r) => {
      const cells = (
        r as unknown as { querySelectorAll(s: string): { textContent: string | null }[] }
      ).querySelectorAll('td');
      return [cells[0].textContent, cells[2].textContent];
    }),
  );
  t.same(shown, top, 'the ten largest component-VaR contributors, as REST has them');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/terminal-explain.png` });
  await dialog.locator('button', { hasText: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
});

t.test('what if: the incremental VaR of a trade as POST /v1/risk/what-if answers it; a bad one says why', async (t) => {
  const positions = await get<Positions>(`/v1/portfolios/${id}/positions`);
  const instrument = Object.keys(positions.data.rows).sort()[0];
  const panel = page.locator('[data-panel="what-if"]');
  await panel.getByLabel('Instrument').fill(instrument);
  await panel.getByLabel('Quantity').fill('-1,000');
  await panel.locator('button[type="submit"]').click();
  await panel.locator('[data-what-if]').first().waitFor();
  const rest = (await (
    await fetch(`${base}/v1/risk/what-if`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ portfolio: id, instrument, qty: -1000 }),
    })
  ).json()) as {
    inputSeq: number;
    measures: {
      method: string;
      horizonDays: number;
      confidence: number;
      before: { var: number };
      after: { var: number };
      incremental: { var: number; es: number };
    }[];
  };
  t.equal(
    Number(await panel.locator('[data-panel-seq]').getAttribute('data-panel-seq')),
    rest.inputSeq,
    'the same state',
  );
  const shown = await panel.locator('[data-what-if]').evaluateAll((rows) =>
    rows.map((r) => {
      const el = r as unknown as {
        getAttribute(n: string): string;
        querySelectorAll(s: string): { textContent: string | null }[];
      };
      const c = el.querySelectorAll('td');
      return [el.getAttribute('data-what-if'), c[3].textContent, c[4].textContent, c[5].textContent, c[6].textContent];
    }),
  );
  t.same(
    shown,
    rest.measures.map((m) => [
      `${m.method}-${m.horizonDays}-${m.confidence}`,
      money(m.before.var),
      money(m.after.var),
      signedMoney(m.incremental.var),
      signedMoney(m.incremental.es),
    ]),
    "VaR before and after and the increments, by method: REST's",
  );
  await panel.getByLabel('Instrument').fill('NO-SUCH-THING');
  await panel.locator('button[type="submit"]').click();
  await panel.locator('[role="alert"]').filter({ hasText: 'UNKNOWN_INSTRUMENT' }).waitFor();
  t.pass("an unknown instrument is refused with the catalogue's code and message");
});

t.test(
  "grouped by sector: one subtotal row per sector, each the sum of REST's positions; a group closes",
  async (t) => {
    await page.getByLabel('Group positions by').selectOption('sector');
    const heads = page.locator('.positions .ag-center-cols-container [row-id^="group:"]');
    await heads.first().waitFor();
    const instruments = await get<{ id: string; sector: string }[]>('/v1/instruments');
    const sectorOf = new Map(instruments.map((i) => [i.id, i.sector]));
    const rows = (
      await get<Positions & { data: { rows: Record<string, { marketValue: number }> } }>(
        `/v1/portfolios/${id}/positions`,
      )
    ).data.rows;
    const sums = new Map<string, number>();
    for (const [k, r] of Object.entries(rows))
      sums.set(sectorOf.get(k)!, (sums.get(sectorOf.get(k)!) ?? 0) + r.marketValue);
    await page.locator('.group-tools button', { hasText: 'Close all' }).click();
    const shown = await eventually(async () => {
      const list = await heads.evaluateAll((els) =>
        els.map((e) => {
          const el = e as unknown as {
            getAttribute(n: string): string;
            querySelector(s: string): { textContent: string | null } | null;
          };
          return [el.getAttribute('row-id').slice(6), el.querySelector('[col-id="marketValue"]')?.textContent ?? ''];
        }),
      );
      return list.length === sums.size ? list : undefined;
    }, 20_000);
    t.same(
      Object.fromEntries(shown),
      Object.fromEntries([...sums].map(([k, v]) => [k, money(v)])),
      "each sector's market value is the sum of its positions' as REST has them",
    );
    await page.locator('.group-tools button', { hasText: 'Open all' }).click();
    // The first row is a group's subtotal, its positions after it; closed, none of them is rendered.
    const first = (await page
      .locator('.positions .ag-pinned-left-cols-container [row-index="0"]')
      .getAttribute('row-id'))!;
    t.match(first, /^group:/, 'a subtotal row comes first');
    const inGroup = new Set([...sectorOf].filter(([, s]) => `group:${s}` === first).map(([k]) => k));
    const rendered = () =>
      page
        .locator('.positions .ag-pinned-left-cols-container [row-id]')
        .evaluateAll((els) =>
          els.map((e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('row-id')),
        );
    t.ok(
      (await rendered()).some((r) => inGroup.has(r)),
      'its positions are shown under it',
    );
    await page.locator(`.positions .ag-pinned-left-cols-container [row-id="${first}"] button`).click();
    await eventually(async () => ((await rendered()).some((r) => inGroup.has(r)) ? undefined : true), 10_000);
    t.pass(`closing ${first.slice(6)} hides its positions`);
    t.same(errors, [], 'no error in the page');
  },
);

t.test("performance and fees: every figure the panel shows is the REST risk snapshot's analytics", async (t) => {
  const panel = page.locator('[data-panel="analytics"]');
  await panel.locator('[data-analytics="dayToDate"]').waitFor({ timeout: 60_000 });
  type Analytics = Record<string, unknown> & { sampledAt: number };
  // A moment both hold: the same run (inputSeq) and the same sampling boundary.
  const { rest, shown } = await eventually(async () => {
    const risk = await get<{ inputSeq: number; data: { analytics: Analytics } }>(`/v1/portfolios/${id}/risk`);
    const seq = Number(await panel.locator('[data-panel-seq]').getAttribute('data-panel-seq'));
    const cells = await panel.locator('[data-analytics]').evaluateAll((els) =>
      els.map((e) => {
        const el = e as unknown as { getAttribute(n: string): string | null };
        return [el.getAttribute('data-analytics')!, el.getAttribute('data-value')!] as const;
      }),
    );
    const sampled = await panel.locator('.muted').first().textContent();
    const at = new Date(risk.data.analytics.sampledAt).toISOString().slice(0, 16).replace('T', ' ');
    return seq === risk.inputSeq && sampled?.includes(at) ? { rest: risk.data.analytics, shown: cells } : undefined;
  }, 60_000);
  const pick = (path: string): unknown => {
    const [head, ...rest2] = path.split('.');
    if (head === 'fees' && rest2[0] === 'lastDay') {
      const f = rest.fees as { lastManagement: number; lastPerformance: number };
      return f.lastManagement + f.lastPerformance;
    }
    const from = ['byAssetClass', 'bySector', 'cash', 'trading', 'compounding', 'total'].includes(head)
      ? (rest.attribution as Record<string, unknown>)
      : rest;
    return [head, ...rest2].reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], from);
  };
  t.ok(shown.length >= 20, `${shown.length} figures`);
  for (const [name, value] of shown) {
    const want = pick(name);
    t.equal(value, want === null ? '' : String(want), `${name} as REST has it`);
  }
  t.same(errors, [], 'no error in the page');
});
