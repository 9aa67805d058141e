// The floor of a run that finds nothing changed, for the steady bench: a bare node process that
// sends the same requests the CLI's no-change run sends (changes/database per database, with the
// saved session's cookies and the saved database tokens), one after another over HTTPS, and only
// JSON.parses the answers. Plain JavaScript under node alone; trusts the bench's CA through
// NODE_EXTRA_CA_CERTS like the CLI. Usage: node minimal-requests.mjs requests.json
// where requests.json is [{url, body, headers}] and every host resolves to 127.0.0.1.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

const posts = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const agent = new Agent({ keepAlive: true, lookup: (_host, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) });

function post({ url, body, headers }) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`POST answered ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

let changedZones = 0;
for (const one of posts) changedZones += (await post(one)).zones?.length ?? 0;
agent.destroy();
process.stdout.write(JSON.stringify({ requests: posts.length, changedZones }));
