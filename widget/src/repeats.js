/*
 * «Повторять» (issue 12): a deal copied again and again on a calendar — every N days, weeks or
 * months at HH:MM (the account's time zone), from a date, until a date or for K copies. The card
 * draws the form under its rule form (the repeat copies with the rule chosen above) and the
 * deal's repeats; the settings page lists the account's. Each row pauses, resumes or deletes
 * its repeat (delete asks with a second click: no blocking browser dialogs inside amoCRM).
 */
define('dealcopy/repeats', ['jquery', 'dealcopy/meta', 'dealcopy/schedule_text'], function ($, accountMeta, scheduleText) {
  'use strict';

  var REPEAT_TEMPLATES = ['repeat_form', 'repeat_rows'];
  var SCHEDULE_PATHS = ['every.n', 'every.unit', 'every', 'at', 'start', 'until', 'count'];

  function create(ctx) {
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var api = ctx.api.call;
    var messageOf = ctx.i18n.messageOf;
    var text = scheduleText.create(ctx);

    function stateText(repeat) {
      var states = {
        active: t('schedules.repeat.state.active'),
        paused: t('schedules.repeat.state.paused'),
        finished: t('schedules.repeat.state.finished'),
        stopped: t('schedules.repeat.state.stopped')
      };
      var label = states[repeat.state] || repeat.state;
      return repeat.stop_reason ? label + ': ' + repeat.stop_reason : label;
    }

    function presetName(meta, id) {
      var preset = $.grep(meta.presets || [], function (p) {
        return p.preset_id === id;
      })[0];
      return t('schedules.repeat.with_preset', { name: preset ? preset.name : id });
    }

    function row(meta, repeat, withLead) {
      var schedule = repeat.schedule || {};
      var active = repeat.state === 'active' && repeat.next_at;
      return {
        id: repeat.repeat_id,
        state: repeat.state,
        state_text: stateText(repeat),
        calendar: text.calendar(schedule),
        next: active ? t('schedules.repeat.next', { at: text.at(repeat.next_at, schedule.timezone), n: repeat.next_n }) : '',
        fired: repeat.fired ? t('schedules.repeat.fired', { n: repeat.fired }) : '',
        target: repeat.preset_id ? presetName(meta, repeat.preset_id) : text.target(meta, repeat.rule),
        lead: withLead ? t('schedules.repeat.lead', { id: repeat.lead_id }) : '',
        lead_url: withLead ? accountMeta.leadUrl(meta, repeat.lead_id) : ''
      };
    }

    /** The repeats of `leadId` (null: the account's) in `$slot`, with their actions; `load()` (re)draws. */
    function list($slot, meta, leadId) {
      function failed(problem, key) {
        $('<div class="dealcopy-alert dealcopy-alert_error" role="alert" data-list-error></div>')
          .text(key === 'load' ? t('schedules.repeat.loading_failed', { detail: problem.detail }) : problem.detail)
          .appendTo($slot);
      }

      function load() {
        return api('GET', '/repeats' + (leadId ? '?lead_id=' + leadId : ''))
          .done(function (answer) {
            $slot.html(
              html('repeat_rows', {
                title: leadId ? t('schedules.repeat.list') : t('schedules.repeat.list_all'),
                rows: $.map((answer && answer.repeats) || [], function (repeat) {
                  return row(meta, repeat, !leadId);
                })
              })
            );
          })
          .fail(function (problem) {
            $slot.empty();
            failed(problem, 'load');
          });
      }

      function act($button, method, body) {
        var id = $button.closest('[data-repeat]').attr('data-repeat');
        $slot.find('[data-list-error]').remove();
        $button.prop('disabled', true);
        api(method, '/repeats/' + encodeURIComponent(id), body)
          .done(load)
          .fail(function (problem) {
            $button.prop('disabled', false);
            failed(problem, 'act');
          });
      }

      $slot.on('click', '[data-action="repeat-pause"]', function () {
        act($(this), 'PATCH', { paused: true });
      });
      $slot.on('click', '[data-action="repeat-resume"]', function () {
        act($(this), 'PATCH', { paused: false });
      });
      $slot.on('click', '[data-action="repeat-delete"]', function () {
        var $button = $(this);
        if (!$button.hasClass('dealcopy-link_confirm')) {
          $button.addClass('dealcopy-link_confirm').text(t('schedules.repeat.delete_confirm'));
          return;
        }
        act($button, 'DELETE');
      });
      return { load: load };
    }

    function today() {
      var now = new Date();
      function two(n) {
        return (n < 10 ? '0' : '') + n;
      }
      return now.getFullYear() + '-' + two(now.getMonth() + 1) + '-' + two(now.getDate());
    }

    /** The calendar the form holds, as POST /repeats wants it. */
    function calendarOf($el) {
      var out = {
        every: { unit: $el.find('[data-control="repeat-unit"]').val(), n: parseInt($el.find('[data-control="repeat-n"]').val(), 10) || 0 },
        at: $el.find('[data-control="repeat-at"]').val(),
        start: $el.find('[data-control="repeat-start"]').val()
      };
      var end = $el.find('[data-control="repeat-end"]').val();
      if (end === 'until') {
        out.until = $el.find('[data-control="repeat-until"]').val(); // empty: the backend names the field
      } else if (end === 'count') {
        out.count = parseInt($el.find('[data-control="repeat-count"]').val(), 10) || 0;
      }
      return out;
    }

    /** Schedule errors beside the repeat's controls, `rule.*` ones beside the rule form's. */
    function placer($el, form) {
      function clear() {
        $el.find('.dealcopy-field_error').removeClass('dealcopy-field_error');
        $el.find('[data-error]').remove();
      }
      return {
        clear: clear,
        showErrors: function (errors) {
          clear();
          var ruleErrors = [];
          var unplaced = [];
          $.each(errors || [], function (_, error) {
            var path = String(error.path || '');
            if (/^rule(\.|$)/.test(path)) {
              ruleErrors.push($.extend({}, error, { path: path.replace(/^rule\.?/, '') }));
              return;
            }
            var known = $.grep(SCHEDULE_PATHS, function (p) {
              return path === p || path.indexOf(p + '.') === 0;
            })[0];
            var $place = known ? $el.find('[data-role="' + known + '"]').first() : $();
            if (!$place.length) {
              unplaced.push(path ? path + ': ' + messageOf(error) : messageOf(error));
              return;
            }
            $place.addClass('dealcopy-field_error');
            $('<div class="dealcopy-field__error" data-error></div>').text(messageOf(error)).appendTo($place);
          });
          return unplaced.concat(ruleErrors.length ? form.showErrors(ruleErrors) : []);
        }
      };
    }

    /** The card's «Повторять»: the form (closed until asked) and the deal's repeats; returns the list. */
    function cardSection($host, form, leadId, meta) {
      $host.html(html('repeat_form', { uid: ctx.nextUid('repeat'), today: today() }));
      var $el = $host.children().first();
      var listing = list($el.find('[data-slot="repeat-list"]'), meta, leadId);
      var $button = $el.find('[data-action="repeat-create"]');
      var $error = $el.find('[data-slot="repeat-error"]');
      var $done = $el.find('[data-slot="repeat-done"]');
      var keys = ctx.panel.keyKeeper('repeat');
      var placed = placer($el, form);

      $el.on('click', '[data-repeat-more]', function () {
        var open = $(this).attr('aria-expanded') !== 'true';
        $(this).attr('aria-expanded', open ? 'true' : 'false').toggleClass('dealcopy-more_open', open);
        $el.find('[data-repeat-body]').prop('hidden', !open);
      });
      $el.on('change', '[data-control="repeat-end"]', function () {
        var end = $(this).val();
        $el.find('[data-end]').each(function () {
          $(this).prop('hidden', $(this).attr('data-end') !== end);
        });
      });
      $button.on('click', function () {
        if ($button.prop('disabled')) {
          return;
        }
        var body = $.extend({ lead_id: leadId, rule: form.rule() }, calendarOf($el));
        var request = $.extend({ idempotency_key: keys.keyFor(body) }, body);
        ctx.problems.hideProblem($error);
        placed.clear();
        form.clearErrors();
        $done.prop('hidden', true).empty();
        ctx.panel.setBusy($button, true, t('schedules.repeat.creating'));
        api('POST', '/repeats', request)
          .done(function (repeat) {
            keys.succeeded();
            var when = text.at(repeat.next_at, repeat.schedule && repeat.schedule.timezone);
            $done.text(t('schedules.repeat.created', { at: when })).prop('hidden', false);
            listing.load();
          })
          .fail(function (problem) {
            ctx.problems.showProblem($error, problem, placed);
          })
          .always(function () {
            ctx.panel.setBusy($button, false);
          });
      });
      return listing;
    }

    return { cardSection: cardSection, list: list };
  }

  return { create: create, TEMPLATES: REPEAT_TEMPLATES };
});
