// A matrix of pairwise coefficients (correlations, Cramér's V) for the profile view: sized to
// its columns (labels as wide as the longest name needs, up to a limit), each cell coloured
// and showing its value, titled with its pair and figures.
import { html, nothing, svg } from 'lit';

/** Diverging colour for a coefficient in −1..1: blue negative, red positive, pale near 0. */
export function coefficientColour(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return 'var(--surface-2)';
  const hue = r < 0 ? 215 : 5;
  return `hsl(${hue} 70% ${Math.round(96 - Math.min(1, Math.abs(r)) * 46)}%)`;
}

export interface MatrixPair { a: string; b: string; value: number | null; title: string }

// Past this many columns the values no longer fit their cells: colour alone, values on hover.
const VALUES_UP_TO = 20;
const CHAR = 6.2;
const LABEL_CHARS = 22;

export function heatmap(label: unknown, testId: string, pairs: MatrixPair[]) {
  const names = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  if (names.length < 2) return nothing;
  const index = new Map(names.map((n, i) => [n, i]));
  const values = names.length <= VALUES_UP_TO;
  const cell = values ? 38 : 18;
  const short = (n: string) => (n.length > LABEL_CHARS ? `${n.slice(0, LABEL_CHARS - 1)}…` : n);
  const labelWidth = Math.ceil(Math.max(...names.map((n) => short(n).length)) * CHAR) + 8;
  // Column labels are turned 60°: their height is about their width's sine.
  const top = Math.ceil(labelWidth * 0.87) + 4;
  const size = names.length * cell;
  // A shortened name says its whole self on hover.
  const whole = (n: string) => (short(n) === n ? nothing : svg`<title>${n}</title>`);
  const text = (v: number | null) => (v === null || !Number.isFinite(v) ? '' : v.toFixed(2).replace('-', '−'));
  const [width, height] = [labelWidth + size + labelWidth * 0.5, top + size];
  return html`
    <figure class="heatmap" data-testid=${testId}>
      <figcaption>${label} <span class="scale"><i style="background:${coefficientColour(-1)}"></i>−1 <i style="background:${coefficientColour(0)}"></i>0 <i style="background:${coefficientColour(1)}"></i>+1</span></figcaption>
      <svg viewBox="0 0 ${width} ${height}" width=${width} height=${height} role="img" aria-label=${String(label)}>
        ${names.map((n, i) => svg`
          <text x=${labelWidth - 4} y=${top + i * cell + cell * 0.62} text-anchor="end">${whole(n)}${short(n)}</text>
          <text transform="translate(${labelWidth + i * cell + cell * 0.62} ${top - 4}) rotate(-60)">${whole(n)}${short(n)}</text>
          <rect x=${labelWidth + i * cell} y=${top + i * cell} width=${cell - 1} height=${cell - 1} fill="var(--border)"></rect>
          ${values ? svg`<text class="v" x=${labelWidth + i * cell + cell / 2} y=${top + i * cell + cell * 0.62} text-anchor="middle">1</text>` : nothing}`)}
        ${pairs.flatMap((p) => {
          const [i, j] = [index.get(p.a)!, index.get(p.b)!];
          return [[i, j], [j, i]].map(([x, y]) => svg`
            <rect x=${labelWidth + x! * cell} y=${top + y! * cell} width=${cell - 1} height=${cell - 1} fill=${coefficientColour(p.value)}>
              <title>${p.title}</title></rect>
            ${values ? svg`<text class="v" data-testid="matrix-value" x=${labelWidth + x! * cell + cell / 2} y=${top + y! * cell + cell * 0.62} text-anchor="middle">${text(p.value)}</text>` : nothing}`);
        })}
      </svg>
    </figure>`;
}
