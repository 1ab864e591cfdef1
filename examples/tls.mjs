// tls: the clone example (examples/clone.mjs) served over TLS. Run it with
//
//   node examples/tls.mjs [--port 6380] [--host 127.0.0.1]
//
// then `redis-cli --tls --insecure -p 6380 ping` (the certificate in examples/tls/ is self-signed,
// for localhost; make your own with openssl for anything real).
import { readFileSync } from 'node:fs';
import { listen } from 'wasmdis/framework';
import { cloneHandler, cloneOptions, accept, closed, parseAddress } from './clone.mjs';

const dir = new URL('./tls/', import.meta.url);
const tls = { key: readFileSync(new URL('server.key', dir)), cert: readFileSync(new URL('server.crt', dir)) };

const { host, port } = parseAddress();
const server = await listen(`${host}:${port}`, cloneHandler, accept, closed, { ...cloneOptions, tls });
console.log(`tls clone listening on ${host}:${server.port}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.close().then(() => process.exit(0)));
