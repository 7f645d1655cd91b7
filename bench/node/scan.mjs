// The same scan with Cloudflare's official TypeScript SDK: list every registration (status=all,
// the SDK's own cursor pagination), classify with warp-sentinel's rule, write the same CSV.
// Usage: node scan.mjs BASE_URL ACCOUNTS PER_PAGE OUT_CSV NOW STATS_JSON (ACCOUNTS comma-separated,
// scanned one after another into the one CSV). With SDK_DEVICES=1 it also does what warp-sentinel's
// device details do: each account's physical devices paged whole first (the SDK's
// zeroTrust.devices.devices.list) and each finding's device looked up; the CSV stays the same.
// For a like-for-like measurement by hand (docs/benchmarks-notes.md); bench/run does not set it.
import Cloudflare from 'cloudflare';
import fs from 'node:fs';

const [, , baseURL, accountIds, perPage, outCsv, now, statsFile] = process.argv;
const nowMs = Date.parse(now);
const staleBeforeMs = nowMs - 30 * 86_400_000;
let peakHeap = 0;
const sample = () => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); };
const sampler = setInterval(sample, 50);

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;
const cell = (v) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
};
const out = fs.createWriteStream(outCsv);
const write = (values) => out.write(values.map(cell).join(',') + '\n');
write(['registration_id', 'device_id', 'device_name', 'user_id', 'user_email', 'user_name', 'last_seen_at', 'revoked_at',
  'days_since_seen', 'reason', 'key_type', 'tunnel_type', 'client_version', 'note']);

const client = new Cloudflare({ apiToken: 'bench-token', baseURL });
let scanned = 0;
const withDevices = process.env.SDK_DEVICES === '1';
let devicesFound = 0;
for (const accountId of accountIds.split(',')) {
  const devices = new Map();
  if (withDevices) {
    for await (const d of client.zeroTrust.devices.devices.list({ account_id: accountId, active_registrations: 'include', per_page: Number(perPage) })) {
      devices.set(d.id, [d.device_type, d.os_version, d.manufacturer, d.model, d.serial_number, d.last_seen_at]);
    }
  }
  for await (const r of client.zeroTrust.devices.registrations.list({ account_id: accountId, status: 'all', per_page: Number(perPage) })) {
    scanned++;
    const seen = r.last_seen_at && RFC3339.test(r.last_seen_at) ? Date.parse(r.last_seen_at) : NaN;
    const days = Number.isNaN(seen) ? null : Math.trunc((nowMs - seen) / 86_400_000);
    let reason = null;
    let note = null;
    if (!r.id) { reason = 'invalid'; note = 'registration has no id'; }
    else if (r.revoked_at) reason = 'revoked';
    else if (Number.isNaN(seen)) { reason = 'invalid'; note = r.last_seen_at ? 'last_seen_at is not an RFC 3339 timestamp' : 'last_seen_at is missing'; }
    else if (seen < staleBeforeMs) reason = 'stale';
    if (!reason) continue;
    const u = r.user ?? {};
    const d = r.device ?? {};
    if (withDevices && devices.has(d.id)) devicesFound++;
    if (!write([r.id, d.id, d.name, u.id, u.email, u.name, r.last_seen_at, r.revoked_at, reason === 'invalid' ? null : days,
      reason, r.key_type, r.tunnel_type, d.client_version, note])) {
      await new Promise((resolve) => out.once('drain', resolve));
    }
  }
}
await new Promise((resolve) => out.end(resolve));
clearInterval(sampler);
sample();
fs.writeFileSync(statsFile, JSON.stringify({ scanned, peakHeapBytes: peakHeap, ...(withDevices ? { devicesFound } : {}) }));
