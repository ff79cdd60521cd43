/*
 * The DP dialog's second action, «Обновить исходную сделку» (write-back): when a copy enters the
 * trigger's stage, its origin gets fields set or cleared and/or moves to a stage. A switch at the
 * top of the dialog picks this or «Копировать сделку»; the picked one is what the dialog signs
 * (here `{write_back: {field_rules, status}}`, docs/digital-pipeline.md#write-back), into the same
 * `rule`/`signature` inputs. The fields' controls are the rule form's field actions, set/clear only.
 */
define('dealcopy/write_back_form', ['jquery', 'dealcopy/field_rules', 'dealcopy/stage_choice'], function (
  $,
  fieldRules,
  stageChoice
) {
  'use strict';

  var ONLY = ['set', 'clear'];
  // the build checks every key a module names: spelled out, not composed
  var MODES = { copy: 'write_back.mode_copy', write_back: 'write_back.mode_write_back' };

  function create(ctx) {
    var t = ctx.i18n.t;
    var messageOf = ctx.i18n.messageOf;

    function row($parent, role, label, control) {
      var $row = $('<div class="dealcopy-field"></div>').attr('data-role', role).appendTo($parent);
      $('<label class="dealcopy-field__label"></label>').text(label).appendTo($row);
      return $('<select class="dealcopy-select"></select>').attr('data-control', control).appendTo($row);
    }

    /** The write-back form drawn into `$slot`, showing `saved` when it is a write-back rule. */
    function writeBackForm($slot, meta, saved) {
      var initial = (saved && saved.write_back) || {};
      var $el = $('<div class="dealcopy-write-back" data-write-back></div>').appendTo($slot.empty());
      $('<div class="dealcopy-form__heading"></div>').text(t('write_back.heading')).appendTo($el);
      var $pipeline = row($el, 'write_back.status.pipeline_id', t('write_back.pipeline'), 'write-back-pipeline');
      var $stage = row($el, 'write_back.status.status_id', t('write_back.stage'), 'write-back-stage');
      $pipeline.append($('<option value=""></option>').text(t('write_back.no_move')));
      $.each(meta.pipelines || [], function (_, pipeline) {
        $pipeline.append($('<option></option>').attr('value', pipeline.id).text(pipeline.name));
      });
      $('<div class="dealcopy-write-back__title"></div>').text(t('write_back.fields')).appendTo($el);
      var $fields = $('<div class="dealcopy-write-back__fields"></div>').appendTo($el);
      var custom = $.grep((meta.lead_fields && meta.lead_fields.custom) || [], function (field) {
        return field.copyable !== false; // amoCRM never writes it: nothing to set
      });
      $.each(custom, function (_, field) {
        $('<div class="dealcopy-check dealcopy-write-back__field"></div>')
          .append($('<span class="dealcopy-check__text"></span>').attr('data-field', field.id).text(field.name))
          .appendTo($fields);
      });
      var actions = fieldRules.create(ctx).attach($fields, custom, ONLY);
      // on the origin, «как в исходной» means leaving the field as it is
      $fields.find('[data-field-action] option[value=""]').text(t('write_back.keep'));

      function stages(statusId) {
        var pipeline = $.grep(meta.pipelines || [], function (p) {
          return String(p.id) === $pipeline.val();
        })[0];
        $stage.empty();
        $.each(pipeline ? stageChoice.options(pipeline, t('form.closed_mark')) : [], function (_, option) {
          $stage.append($('<option></option>').attr('value', option.value).text(option.label));
        });
        $stage.val(pipeline ? stageChoice.preselect(pipeline, statusId) : null);
        $stage.closest('.dealcopy-field').prop('hidden', !pipeline);
      }

      $pipeline.val(initial.status ? String(initial.status.pipeline_id) : '');
      stages(initial.status && initial.status.status_id);
      actions.set(initial.field_rules);
      $pipeline.on('change', function () {
        stages(null);
      });

      function rule() {
        var out = {};
        var list = actions.read();
        if (list.length) {
          out.field_rules = list;
        }
        if ($pipeline.val()) {
          out.status = { pipeline_id: Number($pipeline.val()), status_id: Number($stage.val()) };
        }
        return { write_back: out };
      }

      /** Marks the controls the errors name; all of them are said in words too (returned). */
      function showErrors(errors) {
        var chosen = actions.read();
        $.each(errors, function (_, error) {
          var path = error.path || '';
          var index = /^write_back\.field_rules\[(\d+)\]/.exec(path);
          if (index && chosen[Number(index[1])]) {
            $fields.find('[data-field-rule="' + chosen[Number(index[1])].field_id + '"]').addClass('dealcopy-field_error');
          }
          $el.find('[data-role="' + path + '"]').addClass('dealcopy-field_error');
        });
        return $.map(errors, messageOf);
      }

      function clearErrors() {
        $el.find('.dealcopy-field_error').removeClass('dealcopy-field_error');
      }

      function onChange(listener) {
        $el.on('change input', function () {
          listener();
        });
      }

      return { $el: $el, rule: rule, showErrors: showErrors, clearErrors: clearErrors, onChange: onChange };
    }

    /**
     * The DP dialog's two actions as one form for the signing: `copyForm` (the rule form in the
     * slot `form`, its warnings in `warnings`) and the write-back form drawn into the slot
     * `write_back`, the switch into `mode`; the saved rule picks the start.
     */
    function dialogForm($root, copyForm, meta, saved) {
      var $switch = $root.find('[data-slot="mode"]');
      var $slot = $root.find('[data-slot="write_back"]');
      var $copyOnly = $root.find('[data-slot="form"], [data-slot="warnings"]');
      var mode = saved && saved.write_back ? 'write_back' : 'copy';
      var back = null; // drawn when first switched on: the copy form's tree keeps its selectors to itself
      var listeners = [];
      var $group = $('<div class="dealcopy-dp__mode" role="radiogroup"></div>').appendTo($switch.empty());
      $.each(MODES, function (value, key) {
        $('<label class="dealcopy-dp__mode-option"></label>')
          .append($('<input type="radio" name="dealcopy-dp-mode" data-dp-mode>').attr('value', value))
          .append($('<span></span>').text(t(key)))
          .appendTo($group);
      });

      function changed() {
        $.each(listeners, function (_, listener) {
          listener();
        });
      }

      function current() {
        return mode === 'write_back' ? back : copyForm;
      }

      function show() {
        if (mode === 'write_back' && !back) {
          back = writeBackForm($slot, meta, saved);
          back.onChange(changed);
        }
        $group.find('[data-dp-mode]').each(function () {
          $(this).prop('checked', this.value === mode);
        });
        $copyOnly.prop('hidden', mode !== 'copy');
        $slot.prop('hidden', mode !== 'write_back');
      }
      show();
      copyForm.onChange(changed);
      $group.on('change', '[data-dp-mode]', function () {
        mode = this.value;
        show();
        changed();
      });

      return {
        mode: function () {
          return mode;
        },
        rule: function () {
          return current().rule();
        },
        showErrors: function (errors) {
          return current().showErrors(errors);
        },
        clearErrors: function () {
          copyForm.clearErrors();
          if (back) {
            back.clearErrors();
          }
        },
        onChange: function (listener) {
          listeners.push(listener);
        }
      };
    }

    return { dialogForm: dialogForm };
  }

  return { create: create };
});
