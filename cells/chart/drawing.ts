// A chart result drawn: the plot and its colour legend, as the page shows them, the downloads
// save them and the HTML report prints them. One drawing for all three, so a report's chart is
// the page's (same ticks, same width rules, same legend); only the document differs.
import type * as PlotLib from '@observablehq/plot';
import type { ChartResult } from './types.ts';
import { composeSvg } from './view-export.ts';
import { colorLegend } from './view-legend.ts';
import { plotOptions } from './view-marks.ts';

type Plot = typeof PlotLib;

export interface Drawing {
  plot: SVGSVGElement;
  legend: SVGSVGElement | null;
}

export function drawChart(Plot: Plot, result: ChartResult, width: number, doc: Document): Drawing {
  const plot = Plot.plot({ ...plotOptions(Plot, result, width), document: doc }) as unknown as SVGSVGElement;
  const legend = result.spec.encoding.color ? colorLegend(plot as never, result.spec.encoding.color.label, width, doc) : null;
  return { plot, legend };
}

export interface Colours {
  foreground: string;
  background: string;
  font: string;
}

/** The chart as one standalone SVG (title, legend, plot): the SVG download and the report's picture. */
export function standaloneSvg(drawing: Drawing, title: string | undefined, colours: Colours, doc: Document): SVGSVGElement {
  return composeSvg({ title, legend: drawing.legend, plot: drawing.plot, ...colours }, doc);
}
