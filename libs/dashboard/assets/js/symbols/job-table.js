/** The backfill state of one symbol, a row per timeframe: progress bar, state, bars, last and next run, errors. */
import { h, table } from '../dom.js';
import { count, relativeTime } from '../format.js';

/**
 * @param {string} symbol
 * @param {readonly string[]} tracked the symbol's timeframes, in order
 * @param {any[]} jobs its jobs from GET /api/v1/backfill/jobs
 */
export function jobTable(symbol, tracked, jobs) {
  const byTimeframe = new Map(jobs.map((job) => [job.timeframe, job]));
  const order = [...tracked, ...jobs.map((job) => job.timeframe).filter((tf) => !tracked.includes(tf))];
  const rows = order.map((timeframe) => {
    const job = byTimeframe.get(timeframe);
    if (!job) return [timeframe, h('span', { class: 'muted', text: 'no job yet' }), '—', '—', '—', '—', '—'];
    const progress = h(
      'span',
      { class: 'progress-cell' },
      h('progress', { max: '100', value: String(job.progressPercent), 'aria-label': `${symbol} ${timeframe} backfill progress` }),
      ` ${Math.round(job.progressPercent)} %`,
    );
    const state = h('span', {
      class: `state state-${job.state}`,
      'data-job-state': job.state,
      text: job.tracked ? job.state : `${job.state} (not tracked)`,
    });
    const errors = job.errors
      ? h('div', {}, h('span', { text: count(job.errors) }), job.lastError ? h('div', { class: 'job-error', text: job.lastError }) : null)
      : '0';
    return [
      timeframe,
      state,
      progress,
      count(job.bars),
      relativeTime(job.lastFinishedAt),
      job.nextRunAt ? relativeTime(job.nextRunAt) : '—',
      errors,
    ];
  });
  const wrap = table(`${symbol} backfill`, ['Timeframe', 'State', 'Progress', 'Bars', 'Last run', 'Next run', 'Errors'], rows, [3]);
  wrap.dataset.jobs = symbol;
  return wrap;
}
