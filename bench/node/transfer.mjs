// What a client pays per page, without the scan's own work: every page of an account fetched
// one after the other (following the cursor), with Node's fetch (the SDK's transport) or with
// the SDK's own paginated list; prints the whole time and the time per page as JSON.
// Usage: node transfer.mjs fetch|sdk BASE_URL ACCOUNT PER_PAGE [ROUNDS]
import Cloudflare from 'cloudflare';

const [, , how, baseURL, accountId, perPage, rounds = '1'] = process.argv;
const url = `${baseURL}/accounts/${accountId}/devices/registrations?status=all&per_page=${perPage}`;

async function byFetch(mark) {
  let cursor = '';
  do {
    const response = await fetch(cursor ? `${url}&cursor=${encodeURIComponent(cursor)}` : url,
      { headers: { Authorization: 'Bearer bench-token' } });
    const text = await response.text();
    const at = text.lastIndexOf('"cursor":"');
    cursor = text.substring(at + 10, text.indexOf('"', at + 10));
    mark();
  } while (cursor);
}

async function bySdk(mark) {
  const client = new Cloudflare({ apiToken: 'bench-token', baseURL });
  let page = await client.zeroTrust.devices.registrations.list({ account_id: accountId, status: 'all', per_page: Number(perPage) });
  mark();
  while (page.hasNextPage()) {
    page = await page.getNextPage();
    mark();
  }
}

for (let round = 0; round < Number(rounds); round++) {
  const pages = [];
  const start = performance.now();
  let last = start;
  await (how === 'sdk' ? bySdk : byFetch)(() => {
    const now = performance.now();
    pages.push(now - last);
    last = now;
  });
  console.log(JSON.stringify({ client: `node-${how}`, total_ms: performance.now() - start, page_ms: pages }));
}
