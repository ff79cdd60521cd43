/*
 * Loads the widget's pure modules (widget/src/*.js, `define('dealcopy/<file>', [deps], factory)`)
 * into node for their unit tests, the way the bundle's private registry does. `jquery` is only
 * its utilities (each, grep, map, inArray, isArray, trim, extend): a pure module must not need a DOM.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const SRC = path.join(__dirname, '..', 'src');

const jquery = {
  each(list, fn) {
    const keys = Array.isArray(list) ? list.map((_, i) => i) : Object.keys(list || {});
    for (const key of keys) {
      if (fn.call(list[key], key, list[key]) === false) {
        break;
      }
    }
    return list;
  },
  grep(list, fn, invert) {
    return Array.prototype.filter.call(list || [], (item, i) => !fn(item, i) === !!invert);
  },
  map(list, fn) {
    const out = [];
    Array.prototype.forEach.call(list || [], (item, i) => {
      const value = fn(item, i);
      if (value !== null && value !== undefined) {
        out.push(...(Array.isArray(value) ? value : [value]));
      }
    });
    return out;
  },
  inArray(item, list) {
    return list.indexOf(item);
  },
  isArray: Array.isArray,
  trim(text) {
    return text === null || text === undefined ? '' : String(text).trim();
  },
  extend(...args) {
    const deep = args[0] === true;
    const [target, ...sources] = deep ? args.slice(1) : args;
    for (const source of sources) {
      for (const [key, value] of Object.entries(source || {})) {
        target[key] = deep && value && typeof value === 'object' ? JSON.parse(JSON.stringify(value)) : value;
      }
    }
    return target;
  }
};

/** The module `name` (e.g. 'dealcopy/copy_name') with its dependencies, each file run once per registry. */
function load(name, registry = {}) {
  if (name === 'jquery') {
    return jquery;
  }
  if (Object.prototype.hasOwnProperty.call(registry, name)) {
    return registry[name];
  }
  const file = path.join(SRC, name.replace(/^dealcopy\//, '') + '.js');
  const text = fs.readFileSync(file, 'utf8');
  let defined = false;
  function define(id, deps, factory) {
    if (id !== name) {
      throw new Error(`${file} defines ${id}, not ${name}`);
    }
    registry[name] = factory(...deps.map((dep) => load(dep, registry)));
    defined = true;
  }
  // this realm, so arrays and objects the module makes compare with the test's own
  vm.runInThisContext(`(function (define) {${text}\n})`, { filename: file })(define);
  if (!defined) {
    throw new Error(`${file} defines no module`);
  }
  return registry[name];
}

module.exports = { load };
