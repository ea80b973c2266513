// The engagement report view: a funnel and a daily series of the rates as inline SVG (no chart library, no CDN),
// and the figures in a table beside them. Counts are activities; see docs/design.md, "Reports".
const SVG = 'http://www.w3.org/2000/svg';
const FUNNEL = [['sent', 'Sent'], ['delivered', 'Delivered'], ['opened', 'Opened'], ['clicked', 'Clicked'],
  ['replied', 'Replied']];
export const RATES = [['openRate', 'Open', 'var(--opened)'], ['humanOpenRate', 'Human open', 'var(--clicked)'],
  ['clickRate', 'Click', 'var(--sent)'], ['replyRate', 'Reply', 'var(--complained)']];
const FIGURES = ['sent', 'delivered', 'bounced', 'complained', 'failed', 'suppressed', 'opened', 'humanOpened',
  'machineOnlyOpened', 'clicked', 'humanClicked', 'replied', 'unsubscribed', 'deliveryRate', 'openRate',
  'humanOpenRate', 'clickRate', 'clickToOpenRate', 'replyRate'];

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(width, height, label) {
  return el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, width, height });
}

// One bar per stage, its width the stage's count over sent; opened and clicked split into people and the rest,
// and the activities only machines opened drawn apart, never as opens.
export function funnel(totals) {
  const rows = [...FUNNEL, ['machineOnlyOpened', 'Machine only']];
  const chart = svg(420, rows.length * 30 + 4, 'Funnel: sent, delivered, opened, clicked, replied');
  const max = Math.max(1, totals.sent, totals.delivered);
  rows.forEach(([key, label], i) => {
    const y = i * 30 + 2;
    const width = (value) => Math.round((280 * value) / max);
    chart.append(el('text', { x: 0, y: y + 17, class: 'label' }, label));
    const human = key === 'opened' ? totals.humanOpened : key === 'clicked' ? totals.humanClicked : null;
    const kind = key === 'machineOnlyOpened' ? 'machine' : 'bar';
    chart.append(el('rect', { x: 100, y, width: width(totals[key]), height: 22, class: kind, 'data-figure': key }));
    if (human !== null) {
      chart.append(el('rect', { x: 100, y, width: width(human), height: 22, class: 'human', 'data-figure': `${key}-human` }));
    }
    chart.append(el('text', { x: 106 + width(totals[key]), y: y + 17, class: 'value' }, String(totals[key])));
  });
  return chart;
}

// The rates per day as lines, 0 to 100 %, a day without deliveries (rate null) leaving a gap.
export function series(groups) {
  const width = 420;
  const height = 180;
  const chart = svg(width, height, 'Rates per day');
  [0, 0.5, 1].forEach((v) => {
    const y = 10 + (1 - v) * (height - 40);
    chart.append(el('line', { x1: 36, x2: width, y1: y, y2: y, class: 'grid' }));
    chart.append(el('text', { x: 0, y: y + 4, class: 'label' }, `${v * 100}%`));
  });
  const step = groups.length > 1 ? (width - 46) / (groups.length - 1) : 0;
  const x = (i) => 40 + i * step;
  RATES.forEach(([key, , color]) => {
    let path = '';
    let pen = 'M';
    groups.forEach((g, i) => {
      if (g[key] === null) { pen = 'M'; return; }
      path += `${pen}${x(i).toFixed(1)},${(10 + (1 - g[key]) * (height - 40)).toFixed(1)} `;
      pen = 'L';
    });
    if (!path) return;
    const line = el('path', { d: path.trim(), class: 'line', 'data-rate': key });
    line.style.stroke = color; // through the CSSOM: the page's CSP allows no inline style attribute
    chart.append(line);
  });
  if (groups.length) {
    chart.append(el('text', { x: 36, y: height - 6, class: 'label' }, groups[0].key));
    chart.append(el('text', { x: width - 70, y: height - 6, class: 'label' }, groups[groups.length - 1].key));
  }
  return chart;
}

export function legend() {
  const p = document.createElement('p');
  p.className = 'legend';
  RATES.forEach(([, label, color]) => {
    const swatch = document.createElement('span');
    swatch.style.borderColor = color;
    swatch.textContent = label;
    p.append(swatch);
  });
  return p;
}

export function table(totals) {
  const body = document.createElement('tbody');
  FIGURES.forEach((key) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = key;
    const td = document.createElement('td');
    const value = totals[key];
    td.textContent = value === null ? '—' : key.endsWith('Rate') ? `${(value * 100).toFixed(1)} %` : String(value);
    td.dataset.figure = key;
    tr.append(th, td);
    body.append(tr);
  });
  return body;
}
