// A panel of the terminal: a title, and how old its data is and which input it reflects, so no
// number is read without knowing its moment.
import { useEffect, useState, type ReactNode } from 'react';
import { age } from './format.js';

/** Re-renders every half second so an age keeps counting while no frame comes. */
export function useClock(ms = 500): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export function DataAge(props: { asOf?: number; inputSeq?: number; idle?: string }) {
  const now = useClock();
  if (props.asOf === undefined) return <span className="age">{props.idle ?? 'waiting for data'}</span>;
  return (
    <span className="age" data-panel-seq={props.inputSeq ?? ''}>
      {props.inputSeq !== undefined && `input seq ${props.inputSeq} · `}
      {age(now - props.asOf)} old
    </span>
  );
}

export function Panel(props: {
  title: string;
  name: string;
  asOf?: number;
  inputSeq?: number;
  /** Said in place of the age while there is no data (default: waiting for data). */
  idle?: string;
  tools?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className={`panel ${props.name}`} data-panel={props.name}>
      <h3>
        {props.title} <DataAge asOf={props.asOf} inputSeq={props.inputSeq} idle={props.idle} />
        {props.tools && <span className="tools">{props.tools}</span>}
      </h3>
      {props.children}
    </section>
  );
}
