// The portal's one way to write HTML: a tagged template that escapes every interpolated value (src/core/html.ts)
// unless it is markup made by this same template. Arrays are joined; null, undefined and false write nothing.
import { escapeHtml } from '../../core/html.js';

export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Markup | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function h(strings: TemplateStringsArray, ...values: Value[]): Markup {
  return new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}

/** A whole number or a percentage as the NHS writes them: thousands separated. */
export const formatNumber = (n: number): string => n.toLocaleString('en-GB', { maximumFractionDigits: 1 });
