/** The page's whole style sheet (inlined: the report opens with no network). */
export const STYLES = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; background: #f9fafb; }
body { margin: 0 auto; max-width: 1600px; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 24px; }
h2 { font-size: 18px; margin: 28px 0 8px; }
.sub { color: #4b5563; margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.card { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 10px 12px; }
.card .k { color: #6b7280; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .v { font-size: 20px; font-weight: 600; margin-top: 2px; }
.outcome { display: inline-block; padding: 2px 8px; border-radius: 999px; font-size: 13px; margin-right: 6px; background: #e5e7eb; }
.outcome.promoted { background: #dcfce7; color: #166534; }
.outcome.rolled-back, .outcome.refused { background: #fee2e2; color: #991b1b; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(620px, 1fr)); gap: 16px; }
figure { margin: 0; background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 12px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg { width: 100%; height: auto; display: block; }
svg text { font-size: 11px; fill: #4b5563; }
svg text.label { font-size: 12px; fill: #111827; }
svg .grid { stroke: #e5e7eb; }
svg .frame { fill: none; stroke: #9ca3af; }
svg .marker line { stroke: #6b7280; stroke-dasharray: 2 3; }
.legend { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; }
.legend li::before { content: ""; display: inline-block; width: 18px; margin-right: 6px; vertical-align: middle; border-top: 3px solid var(--c); }
.legend li.dashed::before { border-top-style: dashed; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.msg { color: #4b5563; max-width: 420px; }
tr.d-promoted td, tr.d-promote td { background: #f0fdf4; }
tr.d-rollback td, tr.d-rolled-back td, tr.d-refused td, tr.d-failed-check td { background: #fef2f2; }
code { font-size: 12px; }
`;
