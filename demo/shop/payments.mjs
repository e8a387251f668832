// Payments: charges a card. The card "declined" fails, as some real cards do; the card processor behind "busy"
// is overloaded and turns three charges in four away with a 503. Release 1.5.0 screens each charge for fraud
// first, which makes chargeCard slower: what "Compare Versions…" and the CodeLens delta show.
import { serve, sleep, startTelemetry, traced, VERSION } from './telemetry.mjs';

const { tracer, log } = startTelemetry('payments');
let busyTurnedAway = 0;

async function chargeCard({ card, amount }) {
  return traced(tracer, 'chargeCard', async (span) => {
    span.setAttribute('payment.card.network', card);
    if (VERSION === '1.5.0') await screenForFraud();
    await sleep(5 + Math.random() * 5);
    if (card === 'busy' && busyTurnedAway++ % 4 !== 3) {
      log('WARN', `card processor busy, ${amount} not charged`);
      throw Object.assign(new Error('card processor busy'), { status: 503 });
    }
    if (card === 'declined') {
      log('ERROR', `card declined for ${amount}`);
      throw Object.assign(new Error('card declined by issuer'), { status: 402 });
    }
    log('INFO', `charged ${amount}`);
    return { ok: true };
  });
}

/** A synchronous call to a fraud-scoring model, new in 1.5.0. */
function screenForFraud() {
  return sleep(20 + Math.random() * 10);
}

serve(tracer, Number(process.env.PAYMENTS_PORT), { 'POST /charge': chargeCard });
