// Static tables behind the demo book: listed names, ETFs, futures, bonds and the factor model.
// generate-demo-book.ts turns them, with a seeded generator, into the committed JSON files.

import type { Instrument } from '../engine/model.js';

export const SECTORS = {
  T: { name: 'Technology', factor: 'SEC_TECH', vol: 0.12 },
  F: { name: 'Financials', factor: 'SEC_FIN', vol: 0.1 },
  H: { name: 'Health Care', factor: 'SEC_HEALTH', vol: 0.08 },
  E: { name: 'Energy', factor: 'SEC_ENERGY', vol: 0.14 },
  I: { name: 'Industrials', factor: 'SEC_INDUSTRIALS', vol: 0.08 },
  C: { name: 'Consumer', factor: 'SEC_CONSUMER', vol: 0.08 },
  U: { name: 'Utilities', factor: 'SEC_UTILITIES', vol: 0.09 },
  M: { name: 'Materials', factor: 'SEC_MATERIALS', vol: 0.11 },
} as const;
export type SectorCode = keyof typeof SECTORS;

export interface CountrySpec {
  currency: string;
  region: string;
  /** Price range (log-uniform) in the local currency. */
  price: [number, number];
  /** Shares are traded in round lots of this size. */
  lot: number;
  /** `TICKER|Name|S` entries, S a sector code. */
  names: string;
}

export const COUNTRIES: Record<string, CountrySpec> = {
  US: {
    currency: 'USD',
    region: 'EQ_US',
    price: [20, 600],
    lot: 1,
    names: `AAPL|Apple|T MSFT|Microsoft|T NVDA|NVIDIA|T GOOGL|Alphabet|T META|Meta Platforms|T AVGO|Broadcom|T
      ORCL|Oracle|T CRM|Salesforce|T ADBE|Adobe|T AMD|Advanced Micro Devices|T INTC|Intel|T CSCO|Cisco Systems|T
      QCOM|Qualcomm|T TXN|Texas Instruments|T IBM|IBM|T NOW|ServiceNow|T INTU|Intuit|T AMAT|Applied Materials|T
      MU|Micron Technology|T PANW|Palo Alto Networks|T JPM|JPMorgan Chase|F BAC|Bank of America|F WFC|Wells Fargo|F
      C|Citigroup|F GS|Goldman Sachs|F MS|Morgan Stanley|F BLK|BlackRock|F SCHW|Charles Schwab|F AXP|American Express|F
      V|Visa|F MA|Mastercard|F SPGI|S&P Global|F CB|Chubb|F PGR|Progressive|F UNH|UnitedHealth|H JNJ|Johnson & Johnson|H
      LLY|Eli Lilly|H PFE|Pfizer|H MRK|Merck & Co|H ABBV|AbbVie|H TMO|Thermo Fisher|H ABT|Abbott|H AMGN|Amgen|H
      GILD|Gilead Sciences|H ISRG|Intuitive Surgical|H CVS|CVS Health|H XOM|Exxon Mobil|E CVX|Chevron|E
      COP|ConocoPhillips|E SLB|Schlumberger|E EOG|EOG Resources|E OXY|Occidental Petroleum|E PSX|Phillips 66|E
      MPC|Marathon Petroleum|E CAT|Caterpillar|I DE|Deere|I HON|Honeywell|I GE|GE Aerospace|I BA|Boeing|I UPS|UPS|I
      RTX|RTX|I LMT|Lockheed Martin|I UNP|Union Pacific|I MMM|3M|I AMZN|Amazon|C TSLA|Tesla|C HD|Home Depot|C
      MCD|McDonald's|C NKE|Nike|C SBUX|Starbucks|C PG|Procter & Gamble|C KO|Coca-Cola|C PEP|PepsiCo|C WMT|Walmart|C
      COST|Costco|C DIS|Walt Disney|C NEE|NextEra Energy|U DUK|Duke Energy|U SO|Southern Company|U
      D|Dominion Energy|U AEP|American Electric Power|U LIN|Linde|M APD|Air Products|M SHW|Sherwin-Williams|M
      FCX|Freeport-McMoRan|M NEM|Newmont|M DOW|Dow|M`,
  },
  GB: {
    currency: 'GBP',
    region: 'EQ_UK',
    price: [1, 60],
    lot: 1,
    names: `HSBA.L|HSBC|F BARC.L|Barclays|F LLOY.L|Lloyds Banking Group|F NWG.L|NatWest|F
      LSEG.L|London Stock Exchange Group|F PRU.L|Prudential|F LGEN.L|Legal & General|F AZN.L|AstraZeneca|H GSK.L|GSK|H
      SHEL.L|Shell|E BP.L|BP|E ULVR.L|Unilever|C DGE.L|Diageo|C BATS.L|British American Tobacco|C TSCO.L|Tesco|C
      RIO.L|Rio Tinto|M GLEN.L|Glencore|M AAL.L|Anglo American|M BA.L|BAE Systems|I RR.L|Rolls-Royce|I REL.L|RELX|I
      NG.L|National Grid|U SSE.L|SSE|U SGE.L|Sage Group|T VOD.L|Vodafone|T`,
  },
  DE: {
    currency: 'EUR',
    region: 'EQ_EU',
    price: [15, 600],
    lot: 1,
    names: `SAP.DE|SAP|T IFX.DE|Infineon|T DTE.DE|Deutsche Telekom|T SIE.DE|Siemens|I DHL.DE|DHL Group|I
      MTX.DE|MTU Aero Engines|I ALV.DE|Allianz|F MUV2.DE|Munich Re|F DBK.DE|Deutsche Bank|F CBK.DE|Commerzbank|F
      DB1.DE|Deutsche Boerse|F BAYN.DE|Bayer|H MRK.DE|Merck KGaA|H SRT3.DE|Sartorius|H FRE.DE|Fresenius|H BAS.DE|BASF|M
      HEI.DE|Heidelberg Materials|M EOAN.DE|E.ON|U RWE.DE|RWE|U VOW3.DE|Volkswagen|C BMW.DE|BMW|C
      MBG.DE|Mercedes-Benz|C ADS.DE|Adidas|C`,
  },
  FR: {
    currency: 'EUR',
    region: 'EQ_EU',
    price: [15, 600],
    lot: 1,
    names: `MC.PA|LVMH|C OR.PA|L'Oreal|C RMS.PA|Hermes|C KER.PA|Kering|C BN.PA|Danone|C TTE.PA|TotalEnergies|E
      SAN.PA|Sanofi|H EL.PA|EssilorLuxottica|H BNP.PA|BNP Paribas|F GLE.PA|Societe Generale|F ACA.PA|Credit Agricole|F
      CS.PA|AXA|F AIR.PA|Airbus|I SU.PA|Schneider Electric|I SAF.PA|Safran|I DG.PA|Vinci|I AI.PA|Air Liquide|M
      SGO.PA|Saint-Gobain|M ENGI.PA|Engie|U VIE.PA|Veolia|U CAP.PA|Capgemini|T DSY.PA|Dassault Systemes|T
      STMPA.PA|STMicroelectronics|T`,
  },
  JP: {
    currency: 'JPY',
    region: 'EQ_JP',
    price: [400, 12000],
    lot: 100,
    names: `7203.T|Toyota Motor|C 6758.T|Sony Group|T 9984.T|SoftBank Group|T 6861.T|Keyence|T 8035.T|Tokyo Electron|T
      6501.T|Hitachi|I 6098.T|Recruit Holdings|I 7974.T|Nintendo|C 9983.T|Fast Retailing|C 7267.T|Honda Motor|C
      8306.T|Mitsubishi UFJ|F 8316.T|Sumitomo Mitsui|F 8411.T|Mizuho|F 8766.T|Tokio Marine|F 4502.T|Takeda|H
      4568.T|Daiichi Sankyo|H 4519.T|Chugai Pharmaceutical|H 5020.T|ENEOS|E 1605.T|Inpex|E 6301.T|Komatsu|I
      8058.T|Mitsubishi Corp|I 6367.T|Daikin|I 4063.T|Shin-Etsu Chemical|M 5401.T|Nippon Steel|M
      9501.T|Tokyo Electric Power|U 9503.T|Kansai Electric Power|U`,
  },
  CH: {
    currency: 'CHF',
    region: 'EQ_CH',
    price: [20, 600],
    lot: 1,
    names: `NESN.SW|Nestle|C ROG.SW|Roche|H NOVN.SW|Novartis|H LONN.SW|Lonza|H ALC.SW|Alcon|H UBSG.SW|UBS|F
      ZURN.SW|Zurich Insurance|F SREN.SW|Swiss Re|F PGHN.SW|Partners Group|F ABBN.SW|ABB|I SCHP.SW|Schindler|I
      KNIN.SW|Kuehne+Nagel|I CFR.SW|Richemont|C UHR.SW|Swatch Group|C GIVN.SW|Givaudan|M SIKA.SW|Sika|M
      HOLN.SW|Holcim|M LOGN.SW|Logitech|T BKW.SW|BKW|U`,
  },
};

/** Reference prices (local currency, roughly late-2025 levels) for the best-known names; others are drawn. */
export const PRICE_HINTS: Record<string, number> = {
  AAPL: 230,
  MSFT: 420,
  NVDA: 140,
  GOOGL: 175,
  META: 580,
  AMZN: 200,
  TSLA: 350,
  JPM: 240,
  XOM: 115,
  UNH: 520,
  AVGO: 220,
  LLY: 800,
  V: 310,
  MA: 520,
  'SAP.DE': 230,
  'SIE.DE': 190,
  'MC.PA': 650,
  'TTE.PA': 57,
  'SHEL.L': 26,
  'AZN.L': 110,
  'HSBA.L': 9,
  '7203.T': 2800,
  '6758.T': 3300,
  '8306.T': 1800,
  'NESN.SW': 80,
  'ROG.SW': 260,
  'NOVN.SW': 95,
};

/** Splits a `names` table into entries; names may contain spaces, entries end at the sector code. */
export function parseNames(table: string): { id: string; name: string; sector: SectorCode }[] {
  return [...table.matchAll(/(\S+)\|([^|]+?)\|([TFHEICUM])(?=\s|$)/g)].map((m) => ({
    id: m[1],
    name: m[2],
    sector: m[3] as SectorCode,
  }));
}

/** [id, name, currency, country, sector, price, factor loadings, idioVol]. */
export type EtfSpec = [string, string, string, string, string, number, Record<string, number>, number];
export const ETFS: EtfSpec[] = [
  ['SPY', 'SPDR S&P 500 ETF', 'USD', 'US', 'Index', 590, { EQ_US: 1 }, 0.01],
  ['QQQ', 'Invesco QQQ', 'USD', 'US', 'Index', 510, { EQ_US: 1.1, SEC_TECH: 0.6 }, 0.03],
  ['IWM', 'iShares Russell 2000', 'USD', 'US', 'Index', 225, { EQ_US: 1.2 }, 0.06],
  ['DIA', 'SPDR Dow Jones ETF', 'USD', 'US', 'Index', 440, { EQ_US: 0.95 }, 0.03],
  ['XLK', 'Technology Select Sector SPDR', 'USD', 'US', 'Technology', 235, { EQ_US: 1.05, SEC_TECH: 0.75 }, 0.02],
  ['XLF', 'Financial Select Sector SPDR', 'USD', 'US', 'Financials', 48, { EQ_US: 1, SEC_FIN: 0.7 }, 0.02],
  ['XLV', 'Health Care Select Sector SPDR', 'USD', 'US', 'Health Care', 145, { EQ_US: 0.8, SEC_HEALTH: 0.7 }, 0.02],
  ['XLE', 'Energy Select Sector SPDR', 'USD', 'US', 'Energy', 92, { EQ_US: 0.9, SEC_ENERGY: 0.8 }, 0.02],
  ['XLI', 'Industrial Select Sector SPDR', 'USD', 'US', 'Industrials', 135, { EQ_US: 1, SEC_INDUSTRIALS: 0.7 }, 0.02],
  ['XLY', 'Consumer Discr. Select Sector SPDR', 'USD', 'US', 'Consumer', 215, { EQ_US: 1.1, SEC_CONSUMER: 0.7 }, 0.02],
  ['XLU', 'Utilities Select Sector SPDR', 'USD', 'US', 'Utilities', 78, { EQ_US: 0.6, SEC_UTILITIES: 0.8 }, 0.02],
  ['XLB', 'Materials Select Sector SPDR', 'USD', 'US', 'Materials', 90, { EQ_US: 1, SEC_MATERIALS: 0.75 }, 0.02],
  [
    'EFA',
    'iShares MSCI EAFE',
    'USD',
    'Global',
    'Index',
    80,
    { EQ_EU: 0.5, EQ_UK: 0.2, EQ_JP: 0.25, EQ_CH: 0.1, FX_EUR: 0.5, FX_GBP: 0.2, FX_JPY: 0.25, FX_CHF: 0.1 },
    0.02,
  ],
  [
    'VGK',
    'Vanguard FTSE Europe',
    'USD',
    'EU',
    'Index',
    68,
    { EQ_EU: 0.75, EQ_UK: 0.25, FX_EUR: 0.75, FX_GBP: 0.25 },
    0.02,
  ],
  ['EWJ', 'iShares MSCI Japan', 'USD', 'JP', 'Index', 70, { EQ_JP: 1, FX_JPY: 1 }, 0.03],
  ['EWU', 'iShares MSCI United Kingdom', 'USD', 'GB', 'Index', 36, { EQ_UK: 1, FX_GBP: 1 }, 0.03],
  ['EWG', 'iShares MSCI Germany', 'USD', 'DE', 'Index', 34, { EQ_EU: 1.05, FX_EUR: 1 }, 0.03],
  ['EWQ', 'iShares MSCI France', 'USD', 'FR', 'Index', 40, { EQ_EU: 1, FX_EUR: 1 }, 0.03],
  ['EWL', 'iShares MSCI Switzerland', 'USD', 'CH', 'Index', 50, { EQ_CH: 1, FX_CHF: 1 }, 0.03],
  ['TLT', 'iShares 20+ Year Treasury Bond', 'USD', 'US', 'Government', 92, { RATES_USD: 2.4 }, 0.01],
  ['IEF', 'iShares 7-10 Year Treasury Bond', 'USD', 'US', 'Government', 95, { RATES_USD: 1.07 }, 0.005],
  ['LQD', 'iShares iBoxx IG Corporate Bond', 'USD', 'US', 'Credit', 108, { RATES_USD: 1.2, EQ_US: 0.05 }, 0.01],
  ['HYG', 'iShares iBoxx High Yield Corporate', 'USD', 'US', 'Credit', 79, { RATES_USD: 0.3, EQ_US: 0.3 }, 0.015],
  ['EXS1.DE', 'iShares Core DAX UCITS ETF', 'EUR', 'DE', 'Index', 180, { EQ_EU: 1.05 }, 0.02],
  ['ISF.L', 'iShares Core FTSE 100 UCITS ETF', 'GBP', 'GB', 'Index', 8.4, { EQ_UK: 1 }, 0.02],
  ['1321.T', 'Nikkei 225 Exchange Traded Fund', 'JPY', 'JP', 'Index', 40500, { EQ_JP: 1 }, 0.02],
  ['CSSMI.SW', 'iShares SMI ETF', 'CHF', 'CH', 'Index', 125, { EQ_CH: 1 }, 0.02],
];

/** [root, name, currency, country, sector, price, multiplier, expiry code, loadings]. */
export type FutureSpec = [string, string, string, string, string, number, number, 'H' | 'M', Record<string, number>];
export const FUTURES: FutureSpec[] = [
  ['ES', 'E-mini S&P 500', 'USD', 'US', 'Index', 6000, 50, 'H', { EQ_US: 1 }],
  ['NQ', 'E-mini Nasdaq-100', 'USD', 'US', 'Index', 21000, 20, 'H', { EQ_US: 1.1, SEC_TECH: 0.5 }],
  ['RTY', 'E-mini Russell 2000', 'USD', 'US', 'Index', 2300, 50, 'H', { EQ_US: 1.2 }],
  ['YM', 'E-mini Dow', 'USD', 'US', 'Index', 44000, 5, 'H', { EQ_US: 0.95 }],
  ['FESX', 'Euro Stoxx 50', 'EUR', 'EU', 'Index', 5000, 10, 'H', { EQ_EU: 1 }],
  ['FDAX', 'DAX', 'EUR', 'DE', 'Index', 19500, 25, 'H', { EQ_EU: 1.05 }],
  ['Z', 'FTSE 100', 'GBP', 'GB', 'Index', 8300, 10, 'H', { EQ_UK: 1 }],
  ['NK', 'Nikkei 225', 'JPY', 'JP', 'Index', 38000, 1000, 'H', { EQ_JP: 1 }],
  ['FSMI', 'SMI', 'CHF', 'CH', 'Index', 12000, 10, 'H', { EQ_CH: 1 }],
  ['ZT', '2-Year T-Note', 'USD', 'US', 'Government', 103, 2000, 'M', { RATES_USD: 0.27 }],
  ['ZN', '10-Year T-Note', 'USD', 'US', 'Government', 110, 1000, 'M', { RATES_USD: 0.93 }],
  ['ZB', 'US Treasury Bond', 'USD', 'US', 'Government', 118, 1000, 'M', { RATES_USD: 1.9 }],
  ['FGBM', 'Euro-Bobl', 'EUR', 'DE', 'Government', 117, 1000, 'M', { RATES_EUR: 0.64 }],
  ['FGBL', 'Euro-Bund', 'EUR', 'DE', 'Government', 131, 1000, 'M', { RATES_EUR: 1.2 }],
  ['G', 'Long Gilt', 'GBP', 'GB', 'Government', 92, 1000, 'M', { RATES_GBP: 1.4 }],
  ['JB', '10-Year JGB', 'JPY', 'JP', 'Government', 143, 1000000, 'M', { RATES_JPY: 1.05 }],
];
export const FUTURE_EXPIRY = { H: '2027-03-19', M: '2027-06-18' } as const;

/** [base, currency (quote), price, factor, sign, country]. */
export const FX_PAIRS: [string, string, number, string, 1 | -1, string][] = [
  ['EUR', 'USD', 1.08, 'FX_EUR', 1, 'EU'],
  ['GBP', 'USD', 1.27, 'FX_GBP', 1, 'GB'],
  ['USD', 'JPY', 150, 'FX_JPY', -1, 'JP'],
  ['USD', 'CHF', 0.88, 'FX_CHF', -1, 'CH'],
];

export const OPTION_UNDERLYINGS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA', 'JPM', 'XOM', 'UNH'];
export const OPTION_EXPIRIES = ['2027-03-19', '2027-06-18', '2027-12-17'];
export const OPTION_MONEYNESS = [0.9, 0.95, 1, 1.05, 1.1];

/** [id, name, currency, country, sector, years, rating, credit spread %, maturity month-day]. */
export type BondSpec = [string, string, string, string, string, number, string, number, string];
const gov = (prefix: string, name: string, ccy: string, cty: string, rating: string, md: string, years: number[]) =>
  years.map((y): BondSpec => [`${prefix}-${y}Y`, `${name} ${y}Y`, ccy, cty, 'Government', y, rating, 0, md]);
export const BONDS: BondSpec[] = [
  ...gov('UST', 'US Treasury', 'USD', 'US', 'AA+', '02-15', [2, 3, 5, 7, 10, 20, 30]),
  ...gov('BUND', 'German Bund', 'EUR', 'DE', 'AAA', '02-15', [2, 5, 10, 30]),
  ...gov('OAT', 'French OAT', 'EUR', 'FR', 'AA-', '05-25', [10]),
  ...gov('BTP', 'Italian BTP', 'EUR', 'IT', 'BBB', '08-01', [10]),
  ...gov('GILT', 'UK Gilt', 'GBP', 'GB', 'AA', '01-31', [2, 5, 10, 30]),
  ...gov('JGB', 'Japan Government Bond', 'JPY', 'JP', 'A+', '03-20', [2, 5, 10, 30]),
  ['AAPL-2031', 'Apple 2031', 'USD', 'US', 'Technology', 5, 'AA+', 0.45, '05-11'],
  ['MSFT-2036', 'Microsoft 2036', 'USD', 'US', 'Technology', 10, 'AAA', 0.4, '08-08'],
  ['JPM-2034', 'JPMorgan Chase 2034', 'USD', 'US', 'Financials', 8, 'A-', 0.95, '04-22'],
  ['GS-2030', 'Goldman Sachs 2030', 'USD', 'US', 'Financials', 4, 'BBB+', 1.05, '10-21'],
  ['XOM-2035', 'Exxon Mobil 2035', 'USD', 'US', 'Energy', 9, 'AA-', 0.7, '03-19'],
  ['T-2045', 'AT&T 2045', 'USD', 'US', 'Technology', 19, 'BBB', 1.6, '06-15'],
  ['VW-2032', 'Volkswagen 2032', 'EUR', 'DE', 'Consumer', 6, 'BBB+', 1.3, '03-24'],
  ['ALV-2033', 'Allianz 2033', 'EUR', 'DE', 'Financials', 7, 'AA', 0.8, '07-06'],
  ['TTE-2031', 'TotalEnergies 2031', 'EUR', 'FR', 'Energy', 5, 'A+', 0.75, '11-18'],
  ['VOD-2038', 'Vodafone 2038', 'GBP', 'GB', 'Technology', 12, 'BBB', 1.5, '12-12'],
];

/** Par-yield curve per currency (percent): a + b (1 - exp(-years / 5)). */
export const CURVES: Record<string, [number, number]> = {
  USD: [3.8, 0.8],
  EUR: [2.0, 1.0],
  GBP: [3.9, 0.8],
  JPY: [0.4, 1.6],
};

/** Factor vols and the loadings on latent drivers that build their correlation matrix. */
export const FACTORS: [string, number, Record<string, number>][] = [
  ['EQ_US', 0.16, { glob: 0.8, haven: -0.1 }],
  ['EQ_EU', 0.18, { glob: 0.72, europe: 0.4, haven: -0.1 }],
  ['EQ_UK', 0.15, { glob: 0.68, europe: 0.35 }],
  ['EQ_JP', 0.2, { glob: 0.65, haven: -0.25 }],
  ['EQ_CH', 0.15, { glob: 0.62, europe: 0.35, haven: 0.1 }],
  ...Object.values(SECTORS).map((s): [string, number, Record<string, number>] => [s.factor, s.vol, {}]),
  ['RATES_USD', 0.06, { rates: 0.72, glob: -0.25 }],
  ['RATES_EUR', 0.055, { rates: 0.7, glob: -0.22 }],
  ['RATES_GBP', 0.065, { rates: 0.68, glob: -0.22 }],
  ['RATES_JPY', 0.04, { rates: 0.45, glob: -0.1 }],
  ['FX_EUR', 0.08, { dollar: 0.75 }],
  ['FX_GBP', 0.085, { dollar: 0.6, glob: 0.1 }],
  ['FX_JPY', 0.1, { dollar: 0.45, haven: 0.45, glob: -0.15 }],
  ['FX_CHF', 0.08, { dollar: 0.65, haven: 0.35 }],
];
/** Sector factors' loading on the cyclical driver (and, for rate-sensitive sectors, on rates). */
export const SECTOR_DRIVERS: Record<string, Record<string, number>> = {
  SEC_TECH: { cyc: -0.25 },
  SEC_FIN: { cyc: 0.35, rates: -0.15 },
  SEC_HEALTH: { cyc: -0.3 },
  SEC_ENERGY: { cyc: 0.35 },
  SEC_INDUSTRIALS: { cyc: 0.4 },
  SEC_CONSUMER: { cyc: -0.1 },
  SEC_UTILITIES: { cyc: -0.35, rates: 0.25 },
  SEC_MATERIALS: { cyc: 0.45 },
};

/** USD value of one unit of each currency, for sizing holdings. */
export const USD_PER: Record<string, number> = { USD: 1, EUR: 1.08, GBP: 1.27, JPY: 1 / 150, CHF: 1 / 0.88 };

export interface PortfolioSpec {
  id: string;
  name: string;
  base: string;
  longBias: number;
  theme: (i: Instrument) => boolean;
}
/** The demo portfolios: themed instruments get several lots, the rest of the universe one or two. */
export const PORTFOLIOS: PortfolioSpec[] = [
  {
    id: 'GLOBAL-MACRO',
    name: 'Global Macro',
    base: 'USD',
    longBias: 0.6,
    theme: (i) => ['future', 'fx', 'bond', 'etf'].includes(i.kind),
  },
  {
    id: 'EURO-EQUITY',
    name: 'Euro Equity',
    base: 'EUR',
    longBias: 0.8,
    theme: (i) => i.currency === 'EUR' && ['equity', 'etf', 'future'].includes(i.kind),
  },
  {
    id: 'UK-INCOME',
    name: 'UK Income',
    base: 'GBP',
    longBias: 0.85,
    theme: (i) => i.currency === 'GBP' || i.sector === 'Utilities' || i.kind === 'bond',
  },
  {
    id: 'JAPAN-LS',
    name: 'Japan Long/Short',
    base: 'JPY',
    longBias: 0.55,
    theme: (i) => i.currency === 'JPY' || i.country === 'JP',
  },
  {
    id: 'SWISS-BALANCED',
    name: 'Swiss Balanced',
    base: 'CHF',
    longBias: 0.8,
    theme: (i) => i.currency === 'CHF' || i.kind === 'bond',
  },
  {
    id: 'US-TECH-LS',
    name: 'US Tech Long/Short',
    base: 'USD',
    longBias: 0.55,
    theme: (i) => (i.country === 'US' && i.sector === 'Technology') || i.kind === 'option',
  },
];
