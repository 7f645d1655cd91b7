// Checks that the two simulated APIs (BenchApi in Java, api.mjs in Node.js) serve the same bytes:
// every page of every account's registrations and physical devices, following each server's
// cursors, and the answers to requests they must refuse. Exits 1 at the first difference, naming it.
// Usage: node compare-apis.mjs BASE_URL_A BASE_URL_B PER_PAGE ACCOUNTS
const [, , baseA, baseB, perPage, accounts] = process.argv;
const token = { Authorization: 'Bearer bench-token' };

async function get(base, path, headers = token) {
  const response = await fetch(base + path, { headers });
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}

async function same(path, headers) {
  const [a, b] = await Promise.all([get(baseA, path, headers), get(baseB, path, headers)]);
  if (a.status !== b.status || a.type !== b.type || !a.body.equals(b.body)) {
    const at = [...a.body].findIndex((byte, i) => byte !== b.body[i]);
    console.error(`the two APIs differ on ${path}: HTTP ${a.status} ${a.type} (${a.body.length} bytes) against ` +
      `HTTP ${b.status} ${b.type} (${b.body.length} bytes), first at byte ${at}:\n` +
      `  ${a.body.subarray(Math.max(0, at - 80), at + 80)}\n  ${b.body.subarray(Math.max(0, at - 80), at + 80)}`);
    process.exit(1);
  }
  return a;
}

let pages = 0;
let bytes = 0;
const records = { registrations: 0, devices: 0 };
let refusals = 0;

// every page of a listing, following the cursor, the same on both
async function walk(list, kind) {
  let cursor = '';
  do {
    const page = await same(cursor ? `${list}&cursor=${encodeURIComponent(cursor)}` : list);
    const json = JSON.parse(page.body.toString('utf8'));
    pages++;
    bytes += page.body.length;
    records[kind] += json.result.length;
    cursor = json.result_info.cursor;
  } while (cursor);
}

async function refused(path, headers) {
  await same(path, headers);
  refusals++;
}

for (const account of accounts.split(',')) {
  const list = `/accounts/${account}/devices/registrations?status=all&per_page=${perPage}`;
  const devices = `/accounts/${account}/devices/physical-devices?active_registrations=include&per_page=${perPage}`;
  await walk(list, 'registrations');
  await walk(devices, 'devices');
  await refused(list, {});
  await refused(list, { Authorization: 'Bearer ' });
  await refused(`${list}&cursor=${encodeURIComponent('bm90LWEtY3Vyc29y')}`);
  await refused(list.replace('status=all', 'status=active'));
  await refused(list.replace(`per_page=${perPage}`, 'per_page=7'));
  await refused(devices.replace('active_registrations=include&', ''));
  await refused(`${devices.replace('?', '/dev-0?')}`);
}
await refused(`/accounts/not-served/devices/registrations?status=all&per_page=${perPage}`);
console.log(`the two APIs serve the same bytes: ${pages} pages (${(bytes / 1048576).toFixed(1)} MiB, ` +
  `${records.registrations.toLocaleString('en-US')} registrations, ${records.devices.toLocaleString('en-US')} devices) ` +
  `and ${refusals} refusals`);
