/*
 * i18n helpers: the strings of i18n/<lang>.json in the language amoCRM loaded them in.
 * Every text the widget draws itself goes through `t` with a literal dotted key; `make widget`
 * checks that each such key exists in ru.json and en.json.
 */
define('dealcopy/i18n', ['jquery'], function ($) {
  'use strict';

  var TEMPLATE_SECTIONS = ['form', 'tree', 'panel', 'bulk', 'dp', 'page', 'licence', 'result', 'schedules'];
  /** The account's zone when the settings answer has no `timezone` (copying/rules.py DEFAULT_TIMEZONE). */
  var DEFAULT_ZONE = 'Europe/Moscow';

  function create(ctx) {
    var self = ctx.widget;

    /** A string of i18n/<lang>.json by its dotted path; `{name}` placeholders from `vars`. */
    function t(path, vars) {
      var parts = path.split('.');
      var node = self.i18n(parts[0]);
      for (var i = 1; i < parts.length && node; i++) {
        node = node[parts[i]];
      }
      if (typeof node !== 'string') {
        return path;
      }
      if (!vars) {
        return node;
      }
      return node.replace(/\{(\w+)\}/g, function (whole, key) {
        return Object.prototype.hasOwnProperty.call(vars, key) ? String(vars[key]) : whole;
      });
    }

    /** The language amoCRM loaded our i18n in: the user's language. */
    function userLang() {
      return t('lang.code') === 'en' ? 'en' : 'ru';
    }

    /** The i18n sections the templates read as `lang.<section>.<key>`. */
    function langTree() {
      var tree = {};
      $.each(TEMPLATE_SECTIONS, function (_, section) {
        tree[section] = self.i18n(section) || {};
      });
      return tree;
    }

    function plural(n, forms) {
      if (userLang() === 'en') {
        return n === 1 ? forms[0] : forms[2];
      }
      var n10 = n % 10;
      var n100 = n % 100;
      if (n10 === 1 && n100 !== 11) {
        return forms[0];
      }
      if (n10 >= 2 && n10 <= 4 && (n100 < 10 || n100 >= 20)) {
        return forms[1];
      }
      return forms[2];
    }

    function daysText(n) {
      return t(plural(n, ['licence.days.one', 'licence.days.few', 'licence.days.many']), { n: n });
    }

    /** The backend's own bilingual text (message_ru/message_en, reason_*) in the user's language. */
    function messageOf(error) {
      if (!error) {
        return '';
      }
      if (typeof error === 'string') {
        return error;
      }
      var ru = error.message_ru || error.reason_ru;
      var en = error.message_en || error.reason_en;
      return (userLang() === 'en' ? en || ru : ru || en) || error.message || error.detail || '';
    }

    function browserZone() {
      try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
      } catch (ignored) {
        return '';
      }
    }

    /** `date` in `zone` as the user's locale writes it (`withDay` false: the time only), and the zone's offset. */
    function stamp(date, zone, withDay) {
      var options = { timeZone: zone, hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
      if (withDay) {
        $.extend(options, { day: '2-digit', month: '2-digit', year: 'numeric' });
      }
      var parts = new Intl.DateTimeFormat(userLang() === 'en' ? 'en-GB' : 'ru-RU', options).formatToParts(date);
      var text = '';
      var offset = '';
      $.each(parts, function (_, part) {
        if (part.type === 'timeZoneName') {
          offset = part.value;
        } else {
          text += part.value;
        }
      });
      return { text: $.trim(text), offset: offset };
    }

    /**
     * A timestamp (seconds, milliseconds or ISO text) as the user's locale writes it, in `timeZone`
     * (the schedule's; else the account's, else Europe/Moscow) and labelled with it; the browser's
     * own time follows when it differs: «28.02.2031, 10:00 (Europe/Moscow, GMT+3; у вас 07:00 UTC)».
     */
    function formatAt(at, timeZone) {
      if (at === null || at === undefined || at === '') {
        return '';
      }
      var value = at;
      if (typeof value === 'number' || /^\d+$/.test(String(value))) {
        value = Number(value);
        if (value < 1e12) {
          value *= 1000; // seconds
        }
      }
      var date = new Date(value);
      if (isNaN(date.getTime())) {
        return String(at);
      }
      var zone = timeZone || ctx.accountZone || DEFAULT_ZONE;
      var there;
      try {
        there = stamp(date, zone, true);
      } catch (unknownZone) {
        zone = DEFAULT_ZONE;
        there = stamp(date, zone, true);
      }
      var label = zone + ', ' + there.offset;
      var local = browserZone();
      if (local && local !== zone) {
        var mine = stamp(date, local, true);
        if (mine.text !== there.text) {
          var sameDay = mine.text.slice(0, 10) === there.text.slice(0, 10);
          var yours = (sameDay ? stamp(date, local, false).text : mine.text) + ' ' + mine.offset;
          return there.text + ' (' + label + '; ' + t('time.yours', { at: yours }) + ')';
        }
      }
      return there.text + ' (' + label + ')';
    }

    /** A day as the user's locale writes it: 13.12.2026 (ru), 13/12/2026 (en); ISO dates accepted. */
    /** dd.mm.yyyy (ru) or dd/mm/yyyy (en); `timeZone` (IANA) when the date belongs to the account, not the browser. */
    function formatDate(at, timeZone) {
      var date = at instanceof Date ? at : new Date(/^\d{4}-\d{2}-\d{2}$/.test(String(at)) ? at + 'T12:00:00' : at);
      if (isNaN(date.getTime())) {
        return String(at || '');
      }
      return date.toLocaleDateString(userLang() === 'en' ? 'en-GB' : 'ru-RU', {
        timeZone: timeZone || undefined,
        day: '2-digit',
        month: '2-digit',
        year: 'numeric'
      });
    }

    return {
      t: t,
      formatDate: formatDate,
      userLang: userLang,
      langTree: langTree,
      daysText: daysText,
      messageOf: messageOf,
      formatAt: formatAt
    };
  }

  return { create: create };
});
