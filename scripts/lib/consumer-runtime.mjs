// Copied into a clean consumer folder and run there by scripts/consumer-smoke.mjs:
// loads every export subpath of one package with `import()` and with `require()`,
// and checks that errors and plugins made by the ESM build of @krate/core are
// recognised by its CommonJS build and the other way round.
//
//   node consumer-runtime.mjs '<json: { name, subpaths: [{ subpath, specifier, json, modes }], core }>'
//
// `modes` lists what the exports map offers for the subpath: 'import', 'require'.
//
// Prints one JSON result on stdout.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const input = JSON.parse(process.argv[2]);

function describe(error) {
  if (!(error instanceof Error)) return String(error);
  const code = error.code ? `${error.code}: ` : '';
  return `${code}${error.message.split('\n').slice(0, 3).join(' ')}`;
}

function missingModule(error) {
  const match = /Cannot find (?:package|module) '([^']+)'/.exec(String(error?.message));
  return match ? match[1] : undefined;
}

const result = { subpaths: [], dual: [], failures: [] };

const loaded = new Map();
for (const { subpath, specifier, json, modes } of input.subpaths) {
  const entry = { subpath, esm: { skipped: true }, cjs: { skipped: true } };
  if (modes.includes('import')) try {
    const ns = json ? await import(specifier, { with: { type: 'json' } }) : await import(specifier);
    entry.esm = { ok: true, names: Object.keys(ns).sort() };
    loaded.set(`${subpath}:esm`, ns);
  } catch (error) {
    entry.esm = { ok: false, error: describe(error), missing: missingModule(error) };
  }
  if (modes.includes('require')) try {
    const mod = require(specifier);
    const names = json ? ['default'] : Object.keys(mod).filter((k) => k !== '__esModule').sort();
    entry.cjs = { ok: true, names };
    loaded.set(`${subpath}:cjs`, mod);
  } catch (error) {
    entry.cjs = { ok: false, error: describe(error), missing: missingModule(error) };
  }
  result.subpaths.push(entry);
}

/** Records one cross-copy expectation. */
function expect(label, condition) {
  result.dual.push(label);
  if (!condition) result.failures.push(label);
}

if (input.core) {
  let coreEsm;
  let coreCjs;
  try {
    coreEsm = await import('@krate/core');
    coreCjs = require('@krate/core');
  } catch (error) {
    result.failures.push(`cannot load @krate/core in the consumer: ${describe(error)}`);
  }
  if (coreEsm && coreCjs) {
    const isErrorClass = (core, value) =>
      typeof value === 'function' && (value === core.ProviderError || Object.prototype.isPrototypeOf.call(core.ProviderError.prototype, value.prototype));

    if (input.name === '@krate/core') {
      const classes = Object.keys(coreEsm).filter((k) => isErrorClass(coreEsm, coreEsm[k])).sort();
      if (classes.length < 2) result.failures.push(`expected ProviderError and its coded subclasses, found ${classes.join(', ') || 'none'}`);
      for (const [fromName, from, to] of [
        ['ESM', coreEsm, coreCjs],
        ['CJS', coreCjs, coreEsm],
      ]) {
        const toName = fromName === 'ESM' ? 'CJS' : 'ESM';
        for (const name of classes) {
          const error = new from[name]({ code: 'not_found', message: 'consumer smoke' });
          expect(`${fromName} new ${name}(): ${toName} ProviderError.isInstance`, to.ProviderError.isInstance(error) === true);
          expect(`${fromName} new ${name}(): instanceof ${toName} ProviderError`, error instanceof to.ProviderError);
          expect(`${fromName} new ${name}(): instanceof ${toName} ${name}`, typeof to[name] === 'function' && error instanceof to[name]);
          const other = classes.find((c) => c !== 'ProviderError' && c !== name && to[c]?.code !== undefined && to[c].code !== error.code);
          if (other) expect(`${fromName} new ${name}(): not instanceof ${toName} ${other}`, !(error instanceof to[other]));
        }
        expect(`${fromName} plain Error: not ${toName} ProviderError.isInstance`, !to.ProviderError.isInstance(new Error('x')));
      }
    }

    const esmMain = loaded.get('.:esm');
    const cjsMain = loaded.get('.:cjs');
    const esmPlugin = esmMain?.default;
    const cjsPlugin = cjsMain?.default;
    if (input.name !== '@krate/core' && esmPlugin && cjsPlugin && coreEsm.isProviderPlugin(esmPlugin)) {
      result.plugin = true;
      expect('ESM default export: CJS isProviderPlugin', coreCjs.isProviderPlugin(esmPlugin));
      expect('CJS default export: ESM isProviderPlugin', coreEsm.isProviderPlugin(cjsPlugin));
      for (const [fromName, plugin, to] of [
        ['ESM', esmPlugin, coreCjs],
        ['CJS', cjsPlugin, coreEsm],
      ]) {
        const toName = fromName === 'ESM' ? 'CJS' : 'ESM';
        let thrown;
        try {
          plugin.create(null);
        } catch (error) {
          thrown = error;
        }
        if (thrown === undefined) {
          result.failures.push(`${fromName} plugin.create(null) did not throw (expected an invalid_config ProviderError)`);
          continue;
        }
        expect(`${fromName} plugin.create(null) error: ${toName} ProviderError.isInstance`, coreEsm.ProviderError.isInstance(thrown) && to.ProviderError.isInstance(thrown));
        expect(`${fromName} plugin.create(null) error: instanceof ${toName} ProviderError`, thrown instanceof to.ProviderError);
        expect(`${fromName} plugin.create(null) error: instanceof ${toName} InvalidConfigError (code ${thrown?.code})`, thrown instanceof to.InvalidConfigError);
        expect(`${fromName} plugin.create(null) error: not instanceof ${toName} NotFoundError`, !(thrown instanceof to.NotFoundError));
      }
    }
  }
}

process.stdout.write(JSON.stringify(result));
