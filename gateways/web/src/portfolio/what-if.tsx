// What if: the incremental VaR and ES of a hypothetical trade, asked of the engine that owns the
// portfolio (`POST /v1/risk/what-if`), by every simulation method, before and after.
import { memo, useState } from 'react';
import type { WhatIf as WhatIfReply } from '../../../../engine/engine.js';
import { ApiError, postJson, type InstrumentRef } from '../api.js';
import { money, signed } from '../format.js';
import { Panel } from '../panel.js';

/** The answer, as the engine types it (a type-only import). */
type WhatIfAnswer = WhatIfReply;

export const WhatIf = memo(function WhatIf(props: {
  portfolio: string;
  token: string | null;
  instruments: InstrumentRef[];
}) {
  const [instrument, setInstrument] = useState('');
  const [qty, setQty] = useState('');
  const [answer, setAnswer] = useState<WhatIfAnswer | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const ask = async () => {
    setBusy(true);
    setError('');
    try {
      const body = { portfolio: props.portfolio, instrument: instrument.trim(), qty: Number(qty.replace(/,/g, '')) };
      setAnswer(await postJson<WhatIfAnswer>('/v1/risk/what-if', props.token, body));
    } catch (err) {
      setAnswer(null);
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title="What if" name="what-if" asOf={answer?.asOf} inputSeq={answer?.inputSeq}>
      <form
        className="what-if-form"
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <input
          list="instrument-ids"
          placeholder="Instrument"
          aria-label="Instrument"
          value={instrument}
          onChange={(e) => setInstrument(e.target.value)}
        />
        <datalist id="instrument-ids">
          {props.instruments.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name ?? ''}
            </option>
          ))}
        </datalist>
        <input
          placeholder="Qty (negative sells)"
          aria-label="Quantity"
          inputMode="decimal"
          value={qty}
          onChange={(e) => setQty(e.target.value)}
        />
        <button type="submit" disabled={busy || instrument.trim() === '' || !Number(qty.replace(/,/g, ''))}>
          Incremental VaR
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {answer && (
        <table className="what-if-answer">
          <caption>
            {signed(answer.qty)} {answer.instrument}
          </caption>
          <thead>
            <tr>
              <th>Method</th>
              <th className="num">Days</th>
              <th className="num">Conf.</th>
              <th className="num">VaR before</th>
              <th className="num">VaR after</th>
              <th className="num">Δ VaR</th>
              <th className="num">Δ ES</th>
            </tr>
          </thead>
          <tbody>
            {answer.measures.map((m) => (
              <tr
                key={`${m.method}-${m.horizonDays}-${m.confidence}`}
                data-what-if={`${m.method}-${m.horizonDays}-${m.confidence}`}
              >
                <td>{m.method}</td>
                <td className="num">{m.horizonDays}</td>
                <td className="num">{(m.confidence * 100).toFixed(1).replace(/\.0$/, '')} %</td>
                <td className="num">{money(m.before.var)}</td>
                <td className="num">{money(m.after.var)}</td>
                <td className="num">{signed(m.incremental.var)}</td>
                <td className="num">{signed(m.incremental.es)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
});
