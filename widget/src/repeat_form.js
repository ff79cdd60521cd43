/*
 * The «Повторять» calendar form (templates/repeat_form.twig), one for both jobs: setting up a
 * repeat on the card, and changing an existing repeat's calendar (PATCH /repeats/{id}) from a
 * repeats list, on the card or the settings page. While the user types, it says which date the
 * calendar gives next (repeat_calendar: the backend's rule, in the schedule's time zone), and it
 * puts a problem's `errors[].path` beside the fields.
 */
define('dealcopy/repeat_form', ['jquery', 'dealcopy/repeat_calendar', 'dealcopy/schedule_text'], function (
  $,
  repeatCalendar,
  scheduleText
) {
  'use strict';

  var SCHEDULE_PATHS = ['every.n', 'every.unit', 'every', 'at', 'start', 'until', 'count'];
  /** The zone of a rule without `timezone` (copying/rules.py DEFAULT_TIMEZONE): a new repeat's zone. */
  var DEFAULT_TIMEZONE = 'Europe/Moscow';

  function create(ctx) {
    var t = ctx.i18n.t;
    var messageOf = ctx.i18n.messageOf;
    var text = scheduleText.create(ctx);

    function today() {
      var now = new Date();
      function two(n) {
        return (n < 10 ? '0' : '') + n;
      }
      return now.getFullYear() + '-' + two(now.getMonth() + 1) + '-' + two(now.getDate());
    }

    /** The form drawn into `$host` (a new repeat, or `edit`: an existing one's calendar); its root. */
    function draw($host, edit) {
      $host.html(ctx.templates.html('repeat_form', { uid: ctx.nextUid(edit ? 'repeat-edit' : 'repeat'), today: today(), edit: !!edit }));
      return $host.children().first();
    }

    /**
     * The calendar controls inside `$body` (the form's [data-repeat-body]). options: zone() the
     * schedule's time zone, after() the instant the next copy counts from, mode ('create', 'edit'
     * or 'paused': how the next date reads), form (the rule form, for `rule.*` errors; optional).
     */
    function calendarForm($body, options) {
      function control(name) {
        return $body.find('[data-control="repeat-' + name + '"]');
      }

      function showEnd() {
        var end = control('end').val();
        $body.find('[data-end]').each(function () {
          $(this).prop('hidden', $(this).attr('data-end') !== end);
        });
      }

      /** The calendar the form holds, as POST /repeats wants it (an empty end field: the backend names it). */
      function read() {
        var out = {
          every: { unit: control('unit').val(), n: parseInt(control('n').val(), 10) || 0 },
          at: control('at').val(),
          start: control('start').val()
        };
        if (control('end').val() === 'until') {
          out.until = control('until').val();
        } else if (control('end').val() === 'count') {
          out.count = parseInt(control('count').val(), 10) || 0;
        }
        return out;
      }

      function fill(schedule) {
        control('n').val(schedule.every.n);
        control('unit').val(schedule.every.unit);
        control('at').val(schedule.at);
        control('start').val(schedule.start);
        control('end').val(schedule.until ? 'until' : schedule.count ? 'count' : 'never');
        control('until').val(schedule.until || '');
        if (schedule.count) {
          control('count').val(schedule.count);
        }
        showEnd();
        showNext();
      }

      /** «the next copy: …» for what the form holds now; nothing while it is incomplete. */
      function showNext() {
        var zone = options.zone();
        var next = repeatCalendar.nextOccurrence($.extend({ timezone: zone }, read()), options.after());
        var $slot = $body.find('[data-slot="repeat-next"]');
        if (next === undefined) {
          $slot.prop('hidden', true).empty();
          return;
        }
        var vars = next ? { at: text.at(next.at.toISOString(), zone), n: next.n } : {};
        var words = {
          create: next ? t('schedules.repeat.will_next', vars) : t('schedules.repeat.will_none'),
          edit: next ? t('schedules.repeat.edit_next', vars) : t('schedules.repeat.edit_none'),
          paused: next ? t('schedules.repeat.paused_next', vars) : t('schedules.repeat.edit_none')
        };
        $slot.text(words[options.mode] || words.create).prop('hidden', false);
      }

      function clear() {
        $body.find('.dealcopy-field_error').removeClass('dealcopy-field_error');
        $body.find('[data-error]').remove();
      }

      /** Schedule errors beside the controls, `rule.*` ones beside the rule form's; the rest to list. */
      function showErrors(errors) {
        clear();
        var ruleErrors = [];
        var unplaced = [];
        $.each(errors || [], function (_, error) {
          var path = String(error.path || '');
          if (options.form && /^rule(\.|$)/.test(path)) {
            ruleErrors.push($.extend({}, error, { path: path.replace(/^rule\.?/, '') }));
            return;
          }
          var known = $.grep(SCHEDULE_PATHS, function (p) {
            return path === p || path.indexOf(p + '.') === 0;
          })[0];
          var $place = known ? $body.find('[data-role="' + known + '"]').first() : $();
          if (!$place.length) {
            unplaced.push(messageOf(error)); // its path is for support: problems.js folds it under «подробнее»
            return;
          }
          $place.addClass('dealcopy-field_error');
          $('<div class="dealcopy-field__error" data-error></div>').text(messageOf(error)).appendTo($place);
        });
        return unplaced.concat(ruleErrors.length ? options.form.showErrors(ruleErrors) : []);
      }

      control('end').on('change', showEnd);
      $body.on('input change', '[data-control^="repeat-"]', showNext);
      showNext();
      return { read: read, fill: fill, showNext: showNext, clear: clear, showErrors: showErrors };
    }

    /** PATCH's body: only the parts of `wanted` that differ from `stored` (a dropped end is sent as null). */
    function changes(stored, wanted) {
      var out = {};
      if (!stored.every || stored.every.unit !== wanted.every.unit || stored.every.n !== wanted.every.n) {
        out.every = wanted.every;
      }
      $.each(['at', 'start', 'until', 'count'], function (_, key) {
        var was = stored[key] == null ? null : stored[key];
        var now = wanted[key] === undefined ? null : wanted[key];
        if (was !== now) {
          out[key] = now;
        }
      });
      return out;
    }

    /** What a list says under a changed repeat once it is saved. */
    function savedText(repeat) {
      var zone = repeat.schedule && repeat.schedule.timezone;
      if (repeat.state === 'active' && repeat.next_at) {
        return t('schedules.repeat.saved', { at: text.at(repeat.next_at, zone), n: repeat.next_n });
      }
      return repeat.state === 'finished' ? t('schedules.repeat.saved_finished') : t('schedules.repeat.saved_plain');
    }

    /**
     * An editor of `repeat`'s calendar drawn into `$host` (inside its list row); `saved(repeat)` gets
     * the backend's answer, `closed()` runs on «Отмена» or when nothing changed.
     */
    function editor($host, repeat, saved, closed) {
      var $root = draw($host, true);
      var $body = $root.find('[data-repeat-body]');
      var $save = $root.find('[data-action="repeat-save"]');
      var $error = $root.find('[data-slot="repeat-error"]');
      var paused = repeat.state === 'paused';
      var fields = calendarForm($body, {
        mode: paused ? 'paused' : 'edit',
        zone: function () {
          return repeat.schedule.timezone || DEFAULT_TIMEZONE;
        },
        after: function () {
          // the backend re-arms from now, never at or before the last occurrence that fired
          var last = repeat.last_fired_at ? new Date(repeat.last_fired_at) : null;
          var now = new Date();
          return last && last > now ? last : now;
        }
      });
      fields.fill(repeat.schedule);

      $root.on('click', '[data-action="repeat-cancel-edit"]', closed);
      $save.on('click', function () {
        if ($save.prop('disabled')) {
          return;
        }
        var body = changes(repeat.schedule, fields.read());
        if ($.isEmptyObject(body)) {
          closed();
          return;
        }
        ctx.problems.hideProblem($error);
        fields.clear();
        ctx.panel.setBusy($save, true, t('schedules.repeat.saving'));
        ctx.api
          .call('PATCH', '/repeats/' + encodeURIComponent(repeat.repeat_id), body)
          .done(saved)
          .fail(function (problem) {
            ctx.problems.showProblem($error, problem, fields);
          })
          .always(function () {
            ctx.panel.setBusy($save, false);
          });
      });
      $body.find('[data-control="repeat-n"]').trigger('focus');
      return $root;
    }

    /** The zone a new repeat made with `rule` runs in. */
    function zoneOf(rule) {
      return (rule && rule.timezone) || DEFAULT_TIMEZONE;
    }

    return { draw: draw, calendarForm: calendarForm, editor: editor, savedText: savedText, zoneOf: zoneOf };
  }

  return { create: create };
});
