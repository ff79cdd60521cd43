/*
 * «Повторять»: a deal copied again and again on a calendar — every N days, weeks or
 * months at HH:MM (the account's time zone), from a date, until a date or for K copies. The card
 * draws the form under its rule form (the repeat copies with the rule chosen above) and the
 * deal's repeats; the settings page lists the account's. Each row pauses, resumes, changes its
 * calendar (the same form, inside the row) or deletes its repeat (delete asks with a second
 * click: no blocking browser dialogs inside amoCRM).
 */
define('dealcopy/repeats', [
  'jquery',
  'dealcopy/meta',
  'dealcopy/schedule_text',
  'dealcopy/repeat_form',
  'dealcopy/lead_names'
], function ($, accountMeta, scheduleText, repeatForm, leadNames) {
  'use strict';

  var REPEAT_TEMPLATES = ['repeat_form', 'repeat_rows'];
  var EDITABLE = { active: true, paused: true, finished: true }; // a stopped repeat's source is gone

  function create(ctx) {
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var api = ctx.api.call;
    var text = scheduleText.create(ctx);
    var forms = repeatForm.create(ctx);
    var names = leadNames.create(ctx);

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
        editable: !!EDITABLE[repeat.state],
        calendar: text.calendar(schedule),
        next: active ? t('schedules.repeat.next', { at: text.at(repeat.next_at, schedule.timezone), n: repeat.next_n }) : '',
        fired: repeat.fired ? t('schedules.repeat.fired', { n: repeat.fired }) : '',
        target: repeat.preset_id ? presetName(meta, repeat.preset_id) : text.target(meta, repeat.rule),
        lead: withLead ? t('schedules.repeat.lead', { id: repeat.lead_id }) : '',
        lead_id: repeat.lead_id,
        lead_url: withLead ? accountMeta.leadUrl(meta, repeat.lead_id) : ''
      };
    }

    /** The repeats of `leadId` (null: the account's) in `$slot`, with their actions; `load()` (re)draws. */
    function list($slot, meta, leadId) {
      var shown = {}; // repeat_id -> the repeat as last loaded (the editor starts from it)
      var notice = null; // {id, text}: said under a changed repeat after the reload that follows

      function failed(problem, key) {
        $('<div class="dealcopy-alert dealcopy-alert_error" role="alert" data-list-error></div>')
          .text(key === 'load' ? t('schedules.repeat.loading_failed', { detail: problem.detail }) : problem.detail)
          .appendTo($slot);
      }

      function item(id) {
        return $slot.find('[data-repeat]').filter(function () {
          return $(this).attr('data-repeat') === id;
        });
      }

      function load() {
        return api('GET', '/repeats' + (leadId ? '?lead_id=' + leadId : ''))
          .done(function (answer) {
            var repeats = (answer && answer.repeats) || [];
            shown = {};
            $.each(repeats, function (_, repeat) {
              shown[repeat.repeat_id] = repeat;
            });
            $slot.html(
              html('repeat_rows', {
                title: leadId ? t('schedules.repeat.list') : t('schedules.repeat.list_all'),
                rows: $.map(repeats, function (repeat) {
                  return row(meta, repeat, !leadId);
                })
              })
            );
            if (notice) {
              $('<div class="dealcopy-sched__done" role="status" data-repeat-saved></div>').text(notice.text).appendTo(item(notice.id));
              notice = null;
            }
            names.fill($slot);
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

      /** «Изменить»: the calendar form inside the row (one at a time); saving reloads the list. */
      function edit($item) {
        var repeat = shown[$item.attr('data-repeat')];
        if (!repeat) {
          return;
        }
        $slot.find('[data-action="repeat-cancel-edit"]').trigger('click');
        var $host = $item.find('[data-slot="repeat-edit"]');
        var $actions = $item.find('.dealcopy-sched__actions').prop('hidden', true);
        $item.find('[data-repeat-saved]').remove();
        forms.editor(
          $host,
          repeat,
          function (changed) {
            notice = { id: changed.repeat_id, text: forms.savedText(changed) };
            load();
          },
          function () {
            $host.empty();
            $actions.prop('hidden', false);
          }
        );
      }

      $slot.on('click', '[data-action="repeat-pause"]', function () {
        act($(this), 'PATCH', { paused: true });
      });
      $slot.on('click', '[data-action="repeat-resume"]', function () {
        act($(this), 'PATCH', { paused: false });
      });
      $slot.on('click', '[data-action="repeat-edit"]', function () {
        edit($(this).closest('[data-repeat]'));
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

    /** The card's «Повторять»: the form (closed until asked) and the deal's repeats; returns the list. */
    function cardSection($host, form, leadId, meta) {
      var $el = forms.draw($host, false);
      var $body = $el.find('[data-repeat-body]');
      var listing = list($el.find('[data-slot="repeat-list"]'), meta, leadId);
      var $button = $el.find('[data-action="repeat-create"]');
      var $error = $el.find('[data-slot="repeat-error"]');
      var $done = $el.find('[data-slot="repeat-done"]');
      var keys = ctx.panel.keyKeeper('repeat');
      var fields = forms.calendarForm($body, {
        mode: 'create',
        form: form,
        zone: function () {
          return forms.zoneOf(form.rule());
        },
        after: function () {
          return new Date();
        }
      });

      $el.on('click', '[data-repeat-more]', function () {
        var open = $(this).attr('aria-expanded') !== 'true';
        $(this).attr('aria-expanded', open ? 'true' : 'false').toggleClass('dealcopy-more_open', open);
        $body.prop('hidden', !open);
        fields.showNext(); // "today" may have moved on since the card was drawn
      });
      $button.on('click', function () {
        if ($button.prop('disabled')) {
          return;
        }
        // what is on screen at the press, whatever still loads (the preview, the deal's elements)
        var body = $.extend({ lead_id: leadId, rule: form.rule() }, fields.read());
        var request = $.extend({ idempotency_key: keys.keyFor(body) }, body);
        ctx.problems.hideProblem($error);
        if (form.holdForConfirm($error)) {
          return;
        }
        fields.clear();
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
            ctx.problems.showProblem($error, problem, fields);
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
