// The report's stylesheet, inlined into the HTML so the document needs nothing else: A4 portrait
// with margins for print, tabular figures right-aligned, table headers repeated on each page, a
// section's title kept with its first lines, the traffic light's zone in colour and in words.

export const REPORT_CSS = `
@page { size: A4; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 9pt; color: #111;
  margin: 0; line-height: 1.35; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 11.5pt; margin: 6mm 0 1mm; border-bottom: 0.4mm solid #223; padding-bottom: 0.8mm;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 9.5pt; margin: 3mm 0 1mm; break-after: avoid; }
p { margin: 1mm 0; }
.stamp { color: #555; font-size: 7.5pt; break-after: avoid; }
.note { color: #333; }
.muted { color: #666; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0 0 3mm; }
dl.meta dt { color: #555; }
dl.meta dd { margin: 0; }
.summary { display: flex; gap: 3mm; margin: 2mm 0 1mm; }
.summary div { flex: 1; border: 0.3mm solid #bbb; border-radius: 1mm; padding: 1.5mm 2mm; }
.summary .label { display: block; color: #555; font-size: 7.5pt; }
.summary .value { display: block; font-size: 11pt; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { padding: 0.6mm 1.5mm; border-bottom: 0.2mm solid #ddd; vertical-align: top; }
th { text-align: left; font-weight: 600; background: #eef0f4; border-bottom: 0.3mm solid #99a; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 0.3mm solid #99a; }
.neg { color: #a11; }
.zone { display: inline-block; padding: 0 2mm; border-radius: 1mm; font-weight: 600; }
.zone-green { background: #cdeccd; color: #0b4d0b; }
.zone-yellow { background: #fbeeb0; color: #5c4a00; }
.zone-red { background: #f6c4c4; color: #7a0b0b; }
svg.chart { display: block; margin: 1mm 0; break-inside: avoid; }
svg.chart .grid { stroke: #ddd; stroke-width: 0.6; }
svg.chart .grid.zero { stroke: #888; }
svg.chart .tick { font-size: 9px; fill: #555; }
svg.chart path { fill: none; stroke-width: 1.4; }
svg.chart .pnl { stroke: #1f5fbf; }
svg.chart .var { stroke: #c0392b; }
svg.chart .es { stroke: #e08e0b; stroke-dasharray: 4 3; }
.key-pnl { color: #1f5fbf; } .key-var { color: #c0392b; } .key-es { color: #b06d00; }
footer { margin-top: 6mm; color: #666; font-size: 7.5pt; border-top: 0.2mm solid #ccc; padding-top: 1mm; }
`;
