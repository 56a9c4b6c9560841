import { aggregatesBodyTemplate } from './aggregates-body';
import { fillSlots } from './answer-template';

const bar = { v: 1.5, vw: undefined, o: 1, c: 2, h: 3, l: 0.5, t: 60_000, n: undefined };

describe('answer templates', () => {
  it('fill in the request id and the next_url base per request, in the provider key order', () => {
    const template = aggregatesBodyTemplate({
      ticker: 'SPY',
      queryCount: 1,
      adjusted: true,
      results: [bar],
      nextPath: '/v2/aggs/ticker/SPY/range/1/minute/120000/2024-01-02?cursor=abc',
    });
    const text = Buffer.concat(fillSlots(template, 'req-1', () => 'https://md.example.com')).toString();
    expect(text).toBe(
      '{"ticker":"SPY","queryCount":1,"resultsCount":1,"adjusted":true,"results":[{"v":1.5,"o":1,"c":2,"h":3,"l":0.5,"t":60000}],' +
        '"status":"OK","request_id":"req-1","count":1,"next_url":"https://md.example.com/v2/aggs/ticker/SPY/range/1/minute/120000/2024-01-02?cursor=abc"}',
    );
  });

  it('leave out results when there are none, and ask for no base without a next_url', () => {
    const template = aggregatesBodyTemplate({ ticker: 'X:BTCUSD', queryCount: 0, adjusted: true, results: [] });
    const base = jest.fn(() => 'unused');
    expect(JSON.parse(Buffer.concat(fillSlots(template, 'req-2', base)).toString())).toEqual({
      ticker: 'X:BTCUSD',
      queryCount: 0,
      resultsCount: 0,
      adjusted: true,
      status: 'OK',
      request_id: 'req-2',
      count: 0,
    });
    expect(base).not.toHaveBeenCalled();
  });

  it('do not copy a large body: its bars are one chunk, untouched', () => {
    const results = Array.from({ length: 50_000 }, (_, i) => ({ ...bar, t: i * 60_000 }));
    const template = aggregatesBodyTemplate({
      ticker: 'SPY',
      queryCount: results.length,
      adjusted: true,
      results,
      nextPath: '/next?cursor=x',
    });
    const chunks = fillSlots(template, 'req-3', () => 'http://h');
    expect(chunks[0].buffer).toBe(template.buffer);
    expect(chunks[0].length).toBeGreaterThan(template.length - 200);
    expect(JSON.parse(Buffer.concat(chunks).toString()).results).toHaveLength(50_000);
  });
});
