// The field page's service worker (/field-sw.js, scope /field): the page loads with no network once visited (the
// shared offline part, core/pageWorker.ts), and the outbox is sent by Background Sync where the browser has it, even
// with the page closed.
import { serveOffline, type ExtendableEvent } from '../core/pageWorker';
import { Outbox } from './outbox';
import { syncTag } from './swCaches';

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

// Every town layer the field map may draw is kept as it is read (the boundary at install).
const worker = serveOffline({ page: 'field', dataPaths: ['/api/me', '/api/reports/mine'], startLayer: 'boundary',
  alsoData: (path) => path.startsWith('/api/layers/') });

worker.addEventListener<SyncEvent>('sync', (event) => {
  if (event.tag !== syncTag) return;
  event.waitUntil(sendOutbox(event.lastChance));
});

async function sendOutbox(lastChance: boolean): Promise<void> {
  const outbox = await Outbox.open();
  try {
    const result = await outbox.drain({ promptly: true });
    // Still no way through: the browser tries the sync again later (the page's own timer goes on as well).
    if (result.offline && !lastChance) throw new Error('outbox not sent: offline');
  } finally {
    outbox.close();
  }
}
