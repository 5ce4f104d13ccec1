// The shelter page's service worker (/shelter-sw.js, scope /shelter): the page loads with no network once visited
// (core/pageWorker.ts). The count queue itself is sent by the page: a tap is made with the page open.
import { serveOffline } from '../core/pageWorker';

serveOffline({ page: 'shelter', dataPaths: ['/api/me'], startLayer: 'shelters' });
