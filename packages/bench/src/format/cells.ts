import type { Cell } from '../report.js';

/** Text for a cell: null is "not measured"; numbers get 3 significant digits (integers stay whole). */
export function formatCell(cell: Cell): string {
  if (cell === null) return 'not measured';
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return String(cell);
  if (Number.isInteger(cell) && Math.abs(cell) >= 100) return cell.toLocaleString('en-US');
  const abs = Math.abs(cell);
  if (abs >= 100) return cell.toFixed(0);
  if (abs >= 10) return cell.toFixed(1);
  if (abs >= 1) return cell.toFixed(2);
  if (abs === 0) return '0';
  return cell.toPrecision(3);
}

/** Formats a ratio as `1.23x`, null as "not measured". */
export function ratio(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? 'not measured'
    : `${formatCell(value)}x`;
}
