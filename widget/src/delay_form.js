/*
 * «Создать позже» in the Digital Pipeline dialog: the rule's `delay` — after the
 * event (days, hours) or relative to a date field of the deal (field, offset days, negative =
 * before, at HH:MM) — and «Не создавать, если сделка уже закрыта» (`cancel_if_closed`, on by
 * default). It decorates the rule form: `rule()` gains the delay, `onChange` listeners hear the
 * delay's controls too, and `showErrors` places `delay.*` errors beside them. So the DP screen
 * signs and saves the delay with the rest of the rule without knowing about it.
 */
define('dealcopy/delay_form', ['jquery'], function ($) {
  'use strict';

  var DELAY_TEMPLATES = ['delay_form'];
  var DATE_TYPES = { date: true, date_time: true, birthday: true };

  function create(ctx) {
    var html = ctx.templates.html;
    var t = ctx.i18n.t;
    var messageOf = ctx.i18n.messageOf;

    function dateFields(meta) {
      var custom = (meta.lead_fields && meta.lead_fields.custom) || [];
      return $.map(
        $.grep(custom, function (f) {
          return DATE_TYPES[f.type] === true;
        }),
        function (f) {
          return { id: f.id, name: f.name };
        }
      );
    }

    function int($input, fallback) {
      var value = parseInt($input.val(), 10);
      return isNaN(value) ? fallback : value;
    }

    /**
     * Adds the section after `form.$el` and decorates `form`; `initial` is the saved rule's delay.
     * Until the section's template is drawn the rule keeps `initial` as it was.
     */
    function attach(form, meta, initial) {
      var drawn = null;
      var listeners = [];
      var baseRule = form.rule;
      var baseShow = form.showErrors;
      var baseClear = form.clearErrors;
      var baseOnChange = form.onChange;

      function value() {
        if (!drawn) {
          return initial || null;
        }
        if (!drawn.$on.prop('checked')) {
          return null;
        }
        var out = { cancel_if_closed: drawn.$cancel.prop('checked') };
        if (drawn.$kind.val() === 'field') {
          out.field = {
            field_id: int(drawn.$field, 0),
            offset_days: int(drawn.$offset, 0),
            at: drawn.$at.val() || '10:00'
          };
        } else {
          out.after_event = { days: Math.max(0, int(drawn.$days, 0)), hours: Math.max(0, int(drawn.$hours, 0)) };
        }
        return out;
      }

      function fire() {
        $.each(listeners, function (_, listener) {
          listener();
        });
      }

      function clearMine() {
        if (drawn) {
          drawn.$el.find('.dealcopy-field_error').removeClass('dealcopy-field_error');
          drawn.$el.find('[data-error]').remove();
        }
      }

      /** `delay.field.at` → the time's row; unknown `delay.*` paths → the kind's row. */
      function placeFor(path) {
        var $place = drawn.$el.find('[data-role="' + path + '"]');
        if (!$place.length && /^delay\.after_event/.test(path)) {
          $place = drawn.$el.find('[data-role="delay.after_event"]');
        }
        return $place.length ? $place.first() : drawn.$el.find('[data-role="delay"]');
      }

      form.rule = function () {
        var out = baseRule();
        var delay = value();
        if (delay) {
          out.delay = delay;
        } else {
          delete out.delay;
        }
        return out;
      };
      form.onChange = function (listener) {
        listeners.push(listener);
        baseOnChange(listener);
      };
      form.clearErrors = function () {
        clearMine();
        baseClear();
      };
      form.showErrors = function (errors) {
        clearMine();
        var mine = $.grep(errors || [], function (e) {
          return /^delay(\.|$)/.test(String(e.path || ''));
        });
        var unplaced = baseShow($.grep(errors || [], function (e) {
          return $.inArray(e, mine) < 0;
        }));
        $.each(mine, function (_, error) {
          if (!drawn) {
            unplaced.push(messageOf(error));
            return;
          }
          drawn.$on.prop('checked', true).trigger('dealcopy:show');
          var $place = placeFor(String(error.path));
          $place.addClass('dealcopy-field_error');
          $('<div class="dealcopy-field__error" data-error></div>').text(messageOf(error)).appendTo($place);
        });
        return unplaced;
      };

      ctx.templates.load(DELAY_TEMPLATES).done(function () {
        var fields = dateFields(meta);
        var $el = $(html('delay_form', { uid: ctx.nextUid('later'), date_fields: fields }));
        form.$el.after($el);
        drawn = {
          $el: $el,
          $on: $el.find('[data-control="later"]'),
          $kind: $el.find('[data-control="later-kind"]'),
          $days: $el.find('[data-control="later-days"]'),
          $hours: $el.find('[data-control="later-hours"]'),
          $field: $el.find('[data-control="later-field"]'),
          $offset: $el.find('[data-control="later-offset"]'),
          $at: $el.find('[data-control="later-at"]'),
          $cancel: $el.find('[data-control="later-cancel"]')
        };
        fill(drawn, initial);
        show(drawn);
        $el.on('change input', 'input, select', function (event) {
          if (event.type === 'input' && !$(this).is('[type="number"], [type="time"]')) {
            return;
          }
          show(drawn);
          drawn.$el.find('[data-hint="positive"]').remove();
          var delay = value();
          if (delay && delay.after_event && !delay.after_event.days && !delay.after_event.hours) {
            // the backend refuses a zero delay too; say so before it is asked
            $('<div class="dealcopy-field__hint" data-hint="positive"></div>')
              .text(t('schedules.later.need_positive'))
              .appendTo(drawn.$el.find('[data-role="delay.after_event"]'));
          }
          fire();
        });
        $el.on('dealcopy:show', function () {
          show(drawn);
        });
      });
      return form;
    }

    function fill(drawn, delay) {
      if (!delay) {
        return;
      }
      drawn.$on.prop('checked', true);
      drawn.$cancel.prop('checked', delay.cancel_if_closed !== false);
      if (delay.field) {
        var id = String(delay.field.field_id);
        if (!drawn.$field.find('option[value="' + id + '"]').length) {
          // a field deleted or changed since: keep it visible, the backend names the problem
          drawn.$field.append($('<option>').val(id).text(ctx.i18n.t('schedules.pending.field_n', { id: id })));
        }
        drawn.$kind.find('option[value="field"]').prop('disabled', false);
        drawn.$kind.val('field');
        drawn.$field.val(id);
        drawn.$offset.val(String(delay.field.offset_days || 0));
        drawn.$at.val(delay.field.at || '10:00');
      } else if (delay.after_event) {
        drawn.$kind.val('after_event');
        drawn.$days.val(String(delay.after_event.days || 0));
        drawn.$hours.val(String(delay.after_event.hours || 0));
      }
    }

    function show(drawn) {
      var on = drawn.$on.prop('checked');
      drawn.$el.find('[data-later-body]').prop('hidden', !on);
      drawn.$el.find('[data-kind]').each(function () {
        $(this).prop('hidden', $(this).attr('data-kind') !== drawn.$kind.val());
      });
    }

    return { attach: attach };
  }

  return { create: create };
});
