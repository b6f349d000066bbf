// Times @4players/odin-tokens 1.4.0 createToken and a tweetnacl verification of its tokens.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { TokenGenerator, generateAccessKey, loadAccessKey } = require('@4players/odin-tokens');
const nacl = require('tweetnacl');

const accessKey = generateAccessKey();
const generator = new TokenGenerator(accessKey);
const { publicKey } = loadAccessKey(accessKey);
const opts = { customer: 'bench' };

function rate(name, fn, seconds) {
  const end = Date.now() + seconds * 1000;
  let n = 0;
  const start = process.hrtime.bigint();
  while (Date.now() < end) { for (let i = 0; i < 10; i++) fn(); n += 10; }
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  return n / s;
}

const b64u = (s) => Buffer.from(s, 'base64url');
function verify(token) {
  const [h, p, s] = token.split('.');
  const header = JSON.parse(b64u(h).toString('utf8'));
  const claims = JSON.parse(b64u(p).toString('utf8'));
  if (header.alg !== 'EdDSA') throw new Error('alg');
  if (!nacl.sign.detached.verify(Buffer.from(h + '.' + p, 'ascii'), b64u(s), publicKey)) throw new Error('sig');
  const now = Date.now() / 1000;
  if (now - claims.exp > 5 || claims.nbf - now > 5) throw new Error('time');
  return claims;
}

const token = await generator.createToken('test-room', 'test-user', opts);
verify(token);
const warm = Number(process.argv[2] ?? 2), measure = Number(process.argv[3] ?? 3), iters = Number(process.argv[4] ?? 3);
for (const [name, fn] of [['createToken', () => generator.createToken('test-room', 'test-user', opts)],
                          ['verify (tweetnacl)', () => verify(token)]]) {
  for (let i = 0; i < 2; i++) rate(name, fn, warm);
  const r = [];
  for (let i = 0; i < iters; i++) r.push(rate(name, fn, measure));
  const mean = r.reduce((a, b) => a + b) / r.length;
  console.log(`${name}: ${mean.toFixed(0)} ops/s (runs: ${r.map((x) => x.toFixed(0)).join(', ')})`);
}
