// An alert as it travels on the `alerts` topic: a frame of an engine's `alerts:<portfolio>` channel
// (its data is the alert) or a bare `alert` record from another producer. Shared by every reader
// of the topic (the store, the webhooks).

import { checkFrame } from '../../engine/frames.js';
import type { Alert } from '../../engine/model.js';
import { validateAlert } from '../../engine/validate.js';
import type { Envelope } from '../../streams/envelope.js';

/** The alert an envelope carries; null for anything else (another channel's frame, a heartbeat). Throws on a bad one. */
export function alertOf(env: Pick<Envelope, 'type' | 'body'>): Alert | null {
  if (env.type === 'alert') return validateAlert(env.body, 'alert record');
  if (env.type !== 'frame') return null;
  const f = checkFrame(env.body);
  return f.channel.startsWith('alerts:') ? validateAlert(f.data, 'alert frame') : null;
}
