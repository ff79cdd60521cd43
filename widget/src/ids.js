/*
 * Identifiers the widget makes up: element ids unique on the page, idempotency keys and preset ids.
 */
define('dealcopy/ids', [], function () {
  'use strict';

  /** A generator of page-unique element ids (one counter per widget instance). */
  function uids() {
    var counter = 0;
    return function nextUid(prefix) {
      counter += 1;
      return 'dealcopy-' + prefix + '-' + counter + '-' + Math.random().toString(36).slice(2, 7);
    };
  }

  /** Keys the backend accepts (`[A-Za-z0-9_.:-]`, 8–128 chars); the same key never copies twice. */
  function newKey(prefix) {
    var random = '';
    if (window.crypto && window.crypto.getRandomValues) {
      var bytes = new Uint8Array(12);
      window.crypto.getRandomValues(bytes);
      for (var i = 0; i < bytes.length; i++) {
        random += ('0' + bytes[i].toString(16)).slice(-2);
      }
    } else {
      random = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
    }
    return prefix + '-' + Date.now().toString(36) + '-' + random;
  }

  function presetId() {
    return 'p' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  }

  return { uids: uids, newKey: newKey, presetId: presetId };
});
