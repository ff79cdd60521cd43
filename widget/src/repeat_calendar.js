/*
 * A repeat's next date, computed in the browser by the backend's own rule
 * (layers/dealcopy/dealcopy/schedules/timemath.py), so the form can say «the next copy: …»
 * before anything is saved, with no backend route for it. Occurrence n falls n steps after
 * `start`; month steps start from the start day each time and clamp to the month's end
 * (31 Jan → 28/29 Feb → 31 Mar); `until` is an inclusive local date, `count` the last n.
 * Wall times are in the schedule's IANA zone; one a DST jump skips moves forward by the gap and
 * one that happens twice takes its first instance (Python's fold=0), as the backend does.
 * Pure: no DOM, no ctx.
 */
define('dealcopy/repeat_calendar', [], function () {
  'use strict';

  var DAY_MS = 86400000;
  var FIRST_YEAR = 2000; // schedules/repeat.py FIRST_YEAR..LAST_YEAR bound `start`
  var LAST_YEAR = 2100;
  var MAX_STEPS = 5000; // a sequence is walked from a lower bound: a few steps suffice

  /** 'YYYY-MM-DD' as {y, m, d} (m 1-based), or null if it is not a real date. */
  function parseDay(text) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || ''));
    if (!match) {
      return null;
    }
    var day = { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
    var check = new Date(dayNumber(day) * DAY_MS);
    return check.getUTCMonth() + 1 === day.m && check.getUTCDate() === day.d ? day : null;
  }

  /** Days since 1970-01-01 (setUTCFullYear: Date.UTC would read years below 100 as 19xx). */
  function dayNumber(day) {
    var date = new Date(0);
    date.setUTCFullYear(day.y, day.m - 1, day.d);
    return Math.round(date.getTime() / DAY_MS);
  }

  function daysInMonth(y, m) {
    var date = new Date(0);
    date.setUTCFullYear(y, m, 0); // day 0 of the next month: the last of month m
    return date.getUTCDate();
  }

  /** The wall clock of instant `ms` in `zone`: {y, m, d, hh, mm, ss}. Throws RangeError for an unknown zone. */
  function wallClock(ms, zone) {
    var parts = {};
    var format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit'
    });
    format.formatToParts(new Date(ms)).forEach(function (part) {
      parts[part.type] = Number(part.value);
    });
    return { y: parts.year, m: parts.month, d: parts.day, hh: parts.hour % 24, mm: parts.minute, ss: parts.second };
  }

  /** `zone`'s UTC offset at instant `ms`, in ms. */
  function offsetAt(ms, zone) {
    var w = wallClock(ms, zone);
    return dayNumber(w) * DAY_MS + ((w.hh * 60 + w.mm) * 60 + w.ss) * 1000 - Math.floor(ms / 1000) * 1000;
  }

  /** The instant (ms) of wall time hh:mm on `day` in `zone`, by the DST rule above. */
  function localInstant(day, hh, mm, zone) {
    var wall = dayNumber(day) * DAY_MS + (hh * 60 + mm) * 60000;
    var before = offsetAt(wall - DAY_MS, zone);
    var after = offsetAt(wall + DAY_MS, zone);
    var fits = [before, after]
      .map(function (offset) {
        return wall - offset;
      })
      .filter(function (ms) {
        return offsetAt(ms, zone) === wall - ms;
      });
    if (!fits.length) {
      return wall - before; // a skipped wall time: the offset before the jump moves it forward by the gap
    }
    return Math.min.apply(null, fits); // a repeated one: its first instance
  }

  /** The local date of occurrence `n` (timemath._step_date), as {y, m, d}. */
  function stepDay(schedule, start, n) {
    var steps = n * schedule.every.n;
    if (schedule.every.unit === 'month') {
      var months = start.m - 1 + steps;
      var y = start.y + Math.floor(months / 12);
      var m = (months % 12) + 1;
      return { y: y, m: m, d: Math.min(start.d, daysInMonth(y, m)) };
    }
    var date = new Date((dayNumber(start) + steps * (schedule.every.unit === 'week' ? 7 : 1)) * DAY_MS);
    return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
  }

  /** A schedule as the form holds it, checked and parsed, or null when it is incomplete or wrong. */
  function parsed(schedule) {
    var every = schedule && schedule.every;
    var time = /^(\d{2}):(\d{2})/.exec(String((schedule && schedule.at) || ''));
    var start = parseDay(schedule && schedule.start);
    var until = schedule && schedule.until ? parseDay(schedule.until) : null;
    var count = schedule && schedule.count;
    if (!every || !/^(day|week|month)$/.test(every.unit) || !(every.n >= 1 && every.n <= 1000)) {
      return null;
    }
    if (!time || Number(time[1]) > 23 || Number(time[2]) > 59 || !start || start.y < FIRST_YEAR || start.y > LAST_YEAR) {
      return null;
    }
    if ((schedule.until && (!until || dayNumber(until) <= dayNumber(start))) || (count != null && !(count >= 1))) {
      return null;
    }
    return {
      every: { unit: every.unit, n: Math.floor(every.n) },
      hh: Number(time[1]),
      mm: Number(time[2]),
      start: start,
      until: until,
      count: count == null ? null : Math.floor(count),
      zone: schedule.timezone
    };
  }

  function occurrenceAt(s, n) {
    if (n < 1 || (s.count !== null && n > s.count)) {
      return null;
    }
    var day = stepDay(s, s.start, n);
    if (day.y > 9998 || (s.until && dayNumber(day) > dayNumber(s.until))) {
      return null;
    }
    return localInstant(day, s.hh, s.mm, s.zone);
  }

  /** An n no later than the first occurrence on or after the local date of `afterMs` (timemath._lower_bound). */
  function lowerBound(s, afterMs) {
    var local = wallClock(afterMs, s.zone);
    var elapsed;
    if (s.every.unit === 'month') {
      elapsed = (local.y - s.start.y) * 12 + local.m - s.start.m;
    } else {
      elapsed = Math.floor((dayNumber(local) - dayNumber(s.start)) / (s.every.unit === 'week' ? 7 : 1));
    }
    return Math.max(1, Math.floor(elapsed / s.every.n) - 1);
  }

  /**
   * The first occurrence strictly after `after` (a Date): {n, at: Date}; null when the sequence has
   * no more; undefined when the schedule is incomplete or its zone unknown (nothing to say yet).
   */
  function nextOccurrence(schedule, after) {
    var s = parsed(schedule);
    if (!s) {
      return undefined;
    }
    try {
      var afterMs = after.getTime();
      var n = lowerBound(s, afterMs);
      for (var i = 0; i < MAX_STEPS; i++, n++) {
        var at = occurrenceAt(s, n);
        if (at === null) {
          return null;
        }
        if (at > afterMs) {
          return { n: n, at: new Date(at) };
        }
      }
      return undefined;
    } catch (unknownZone) {
      return undefined;
    }
  }

  return { nextOccurrence: nextOccurrence };
});
