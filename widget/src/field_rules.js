/*
 * Field actions of the rule form's tree: beside each custom field, what the copy does with it
 * besides carrying it — «Задать значение», «Очистить», «Шаблон» (text fields), «Заменить варианты»
 * (list fields). Stored in the rule as `field_rules` (presets and DP settings keep the rule as it is),
 * checked by the backend like the rest of the rule. Which field takes what comes from the settings
 * lookup (`rule_value`, `enums` of each custom field).
 */
define('dealcopy/field_rules', ['jquery'], function ($) {
  'use strict';

  var ENUM_KINDS = ['enum', 'enums'];
  var LABELS = {
    '': 'field_rules.carry',
    set: 'field_rules.set',
    clear: 'field_rules.clear',
    template: 'field_rules.template',
    map: 'field_rules.map'
  };

  function create(ctx) {
    var t = ctx.i18n.t;

    function actionsOf(field, only) {
      var kind = field.rule_value;
      if (only) {
        return $.grep(actionsOf(field), function (action) {
          return !action || $.inArray(action, only) >= 0;
        });
      }
      var out = [''];
      if (kind) {
        out.push('set');
      }
      out.push('clear');
      if (kind === 'text') {
        out.push('template');
      }
      if ($.inArray(kind, ENUM_KINDS) >= 0) {
        out.push('map');
      }
      return out;
    }

    function optionList(field, blank) {
      var $select = $('<select class="dealcopy-field-rule__input"></select>');
      if (blank) {
        $select.append($('<option value=""></option>').text(blank));
      }
      $.each(field.enums || [], function (_, option) {
        $select.append($('<option></option>').attr('value', option.id).text(option.value));
      });
      return $select;
    }

    /** The input of `action` for `field`, filled with `value` (a stored rule's). */
    function valueInput(field, action, value) {
      var kind = field.rule_value;
      var $input;
      if (action === 'set' && (kind === 'enum' || kind === 'enums')) {
        $input = optionList(field).prop('multiple', kind === 'enums');
        $input.val(value === undefined ? null : $.map([].concat(value), String));
      } else if (action === 'set' && kind === 'bool') {
        $input = $('<select class="dealcopy-field-rule__input"></select>')
          .append($('<option value="true"></option>').text(t('field_rules.yes')))
          .append($('<option value="false"></option>').text(t('field_rules.no')));
        $input.val(value === false ? 'false' : 'true');
      } else if (action === 'map') {
        $input = $('<div class="dealcopy-field-rule__map"></div>');
        $.each(field.enums || [], function (_, option) {
          var $to = optionList(field, t('field_rules.map_keep')).attr('data-map-from', option.id);
          $to.val(value && value[option.id] !== undefined ? String(value[option.id]) : '');
          $input.append($('<label class="dealcopy-field-rule__pair"></label>').text(option.value + ' → ').append($to));
        });
      } else if (action === 'set' || action === 'template') {
        var type = action === 'set' && kind === 'number' ? 'number' : action === 'set' && kind === 'date' ? 'date' : 'text';
        $input = $('<input class="dealcopy-field-rule__input">').attr('type', type);
        if (type === 'number') {
          $input.attr('step', 'any');
        }
        if (action === 'template') {
          $input.attr('placeholder', '{name} / {date}');
        }
        $input.val(value === undefined ? '' : String(value));
      }
      return $input ? $input.attr('data-field-rule-value', field.id) : $();
    }

    function valueOf(field, action, $slot) {
      var kind = field.rule_value;
      var $input = $slot.find('[data-field-rule-value]').addBack('[data-field-rule-value]');
      if (action === 'clear') {
        return true;
      }
      if (action === 'map') {
        var map = {};
        $slot.find('[data-map-from]').each(function () {
          if ($(this).val()) {
            map[$(this).attr('data-map-from')] = Number($(this).val());
          }
        });
        return map;
      }
      var raw = $input.val();
      if (action === 'set' && kind === 'enums') {
        return $.map(raw || [], Number);
      }
      if (action === 'set' && kind === 'enum') {
        return raw ? Number(raw) : null;
      }
      if (action === 'set' && kind === 'bool') {
        return raw === 'true';
      }
      if (action === 'set' && kind === 'number') {
        return raw === '' ? raw : Number(raw);
      }
      return raw;
    }

    /**
     * Adds the actions to the tree in `$form`; `fields` are the settings lookup's custom fields,
     * `only` (optional) the actions offered (a write-back sets or clears, nothing else).
     */
    function attach($form, fields, only) {
      var byId = {};
      $.each(fields || [], function (_, field) {
        byId[field.id] = field;
      });

      $form.find('[data-field]').each(function () {
        var field = byId[Number($(this).attr('data-field'))];
        if (!field) {
          return;
        }
        var $row = $('<div class="dealcopy-field-rule"></div>').attr('data-field-rule', field.id);
        var $action = $('<select class="dealcopy-field-rule__action"></select>').attr('data-field-action', field.id);
        $.each(actionsOf(field, only), function (_, action) {
          $action.append($('<option></option>').attr('value', action).text(t(LABELS[action])));
        });
        $row.append($action, $('<span class="dealcopy-field-rule__value"></span>'));
        $(this).closest('.dealcopy-check').after($row);
      });

      function show(field, action, value) {
        var $row = $form.find('[data-field-rule="' + field.id + '"]');
        $row.find('[data-field-action]').val(action || '');
        $row.find('.dealcopy-field-rule__value').empty().append(valueInput(field, action, value));
        $row.toggleClass('dealcopy-field-rule_on', !!action);
      }

      // A choice here changes the rule like a tick does: the field's own checkbox tells the form
      // (its change handler redraws the counters and tells the form's listeners: preview, DP signing).
      $form.on('change input', '[data-field-rule] :input', function (event) {
        var id = Number($(this).closest('[data-field-rule]').attr('data-field-rule'));
        if ($(this).is('[data-field-action]')) {
          if (event.type !== 'change') {
            return;
          }
          show(byId[id], $(this).val());
        }
        $form.find('[data-field="' + id + '"]').trigger('change');
      });

      /** Shows the rule's `field_rules` (the others back to «как в исходной»). */
      function set(list) {
        $.each(byId, function (_, field) {
          show(field, '');
        });
        $.each(list || [], function (_, rule) {
          var field = byId[rule.field_id];
          var action = $.grep(['set', 'clear', 'template', 'map'], function (a) {
            return rule[a] !== undefined;
          })[0];
          if (field && action) {
            show(field, action, rule[action]);
          }
        });
      }

      /** The `field_rules` on screen, in the tree's order. */
      function read() {
        var out = [];
        $form.find('[data-field-action]').each(function () {
          var action = $(this).val();
          var field = byId[Number($(this).attr('data-field-action'))];
          if (action && field) {
            var rule = { field_id: field.id };
            rule[action] = valueOf(field, action, $(this).closest('[data-field-rule]'));
            out.push(rule);
          }
        });
        return out;
      }

      return { set: set, read: read };
    }

    return { attach: attach };
  }

  return { create: create };
});
