/*
 * How schedules read to a person: a repeat's calendar («Каждый месяц в 10:00 (Europe/Moscow) от
 * 31.01.2026, 3 раз»), an instant in the schedule's own time zone (the account's, not the
 * browser's: «10:00» means 10:00 where the account works), and a delay («за 30 дн. до даты
 * «Окончание подписки», в 10:00»). Shared by the card, the settings page and their lists.
 */
define('dealcopy/schedule_text', ['jquery', 'dealcopy/meta'], function ($, accountMeta) {
  'use strict';

  function create(ctx) {
    var t = ctx.i18n.t;

    /** An ISO instant as the user's locale writes it, in `timezone` (else the account's), labelled with its zone. */
    function at(iso, timezone) {
      return ctx.i18n.formatAt(iso, timezone);
    }

    function every(spec) {
      var n = (spec && spec.n) || 1;
      var unit = (spec && spec.unit) || 'month';
      var one = {
        day: t('schedules.repeat.every_one.day'),
        week: t('schedules.repeat.every_one.week'),
        month: t('schedules.repeat.every_one.month')
      };
      var many = {
        day: t('schedules.repeat.every_n.day', { n: n }),
        week: t('schedules.repeat.every_n.week', { n: n }),
        month: t('schedules.repeat.every_n.month', { n: n })
      };
      return n === 1 ? one[unit] : many[unit];
    }

    /** «Каждый месяц в 10:00 (Europe/Moscow) от 31.01.2026 до 31.12.2026» (or «…, 3 раз»). */
    function calendar(schedule) {
      // HH:MM is the schedule's zone's clock: say which
      var zone = schedule.timezone || ctx.accountZone || 'Europe/Moscow';
      var parts = [every(schedule.every), t('schedules.repeat.at_time', { at: schedule.at + ' (' + zone + ')' })];
      parts.push(t('schedules.repeat.from', { date: ctx.i18n.formatDate(schedule.start) }));
      if (schedule.until) {
        parts.push(t('schedules.repeat.until_date', { date: ctx.i18n.formatDate(schedule.until) }));
      }
      var text = parts.join(' ');
      return schedule.count ? text + ', ' + t('schedules.repeat.times', { n: schedule.count }) : text;
    }

    function fieldName(meta, id) {
      var field = $.grep((meta.lead_fields && meta.lead_fields.custom) || [], function (f) {
        return f.id === Number(id);
      })[0];
      return field ? field.name : t('schedules.pending.field_n', { id: id });
    }

    /** A rule's `delay` in words; «если сделка не закрыта» when it is cancelled for a closed deal. */
    function delay(spec, meta) {
      if (!spec) {
        return '';
      }
      var text = '';
      if (spec.after_event) {
        text = t('schedules.pending.after', { days: spec.after_event.days || 0, hours: spec.after_event.hours || 0 });
      } else if (spec.field) {
        var offset = Number(spec.field.offset_days) || 0;
        var vars = { days: Math.abs(offset), field: fieldName(meta, spec.field.field_id), at: spec.field.at };
        if (offset < 0) {
          text = t('schedules.pending.before_field', vars);
        } else if (offset > 0) {
          text = t('schedules.pending.after_field', vars);
        } else {
          text = t('schedules.pending.on_field', vars);
        }
      }
      return spec.cancel_if_closed === false ? text : text + ', ' + t('schedules.pending.if_open');
    }

    function target(meta, rule) {
      if (!rule || !rule.pipeline_id) {
        return '';
      }
      return accountMeta.stageLabel(meta, rule.pipeline_id, rule.status_id);
    }

    return { at: at, calendar: calendar, delay: delay, target: target };
  }

  return { create: create };
});
