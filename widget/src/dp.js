/*
 * Digital Pipeline (`dpSettings`): our action's dialog. Finds amoCRM's inputs `rule` and
 * `signature`, hides their rows and draws the rule form plus «Анонимная копия». Every change
 * (debounced) writes the unsigned rule, clears the signature and asks POST /widget/dp/sign;
 * only an accepted rule gets the backend's canonical text and signature, which amoCRM saves.
 */
define('dealcopy/dp', ['jquery', 'dealcopy/meta', 'dealcopy/schedules', 'dealcopy/write_back_form'], function (
  $,
  accountMeta,
  schedules,
  writeBackForm
) {
  'use strict';

  var DP_TEMPLATES = ['dp'];
  var SIGN_DELAY_MS = 350;
  // amoCRM's buttons that save the action dialog (U: the harness and amoCRM's DP editor use `js-trigger-save`)
  var SAVE_BUTTONS = '.js-trigger-save, button[type="submit"], .button-input_blue';

  function create(ctx) {
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var api = ctx.api.call;
    var panel = ctx.panel;
    var problems = ctx.problems;

    function dpInput($scope, code) {
      var $input = $scope.find('[name="' + code + '"]');
      if (!$input.length) {
        $input = $scope.find('[name$="[' + code + ']"]');
      }
      return $input.first();
    }

    /** The open DP action dialog of this widget: the form holding our declared inputs. */
    function dpDialog() {
      // Other widgets' actions may use an input named `rule` too: start from our own marker.
      var code = ctx.env.widgetCode();
      var $marker = code ? $('.digital-pipeline__short-task_widget-style_' + code).last() : $();
      var $own = $marker.parents().filter(function () {
        return dpInput($(this), 'rule').length > 0;
      });
      if ($own.length) {
        return $own.first();
      }
      var $rule = $('[name="rule"], [name$="[rule]"]').filter(function () {
        return $(this).closest('[data-action="send_widget_hook"], .digital-pipeline__edit-forms, form').length > 0;
      });
      var $dialog = $rule.last().closest('[data-action="send_widget_hook"]');
      if (!$dialog.length) {
        $dialog = $rule.last().closest('.digital-pipeline__edit-forms, form');
      }
      return $dialog;
    }

    function numberIn($el, names) {
      for (var i = 0; i < names.length; i++) {
        var value = parseInt($el.attr(names[i]), 10);
        if (value) {
          return value;
        }
      }
      return 0;
    }

    /**
     * The stage whose action this dialog edits and the stages of the same pipeline that already
     * hold our action (U: amoCRM's DP editor draws each stage as a column with `data-id` or
     * `data-status-id` holding its actions; the pipeline comes from the board or the page URL).
     */
    function dpContext($dialog) {
      var code = ctx.env.widgetCode();
      var stageAttrs = ['data-status-id', 'data-status', 'data-id'];
      var $column = $dialog.closest('[data-status-id], [data-status]');
      var statusId = numberIn($dialog, stageAttrs) || numberIn($column, stageAttrs);
      var $board = $('[data-pipeline-id]').first();
      var fromUrl = /\/pipeline\/(\d+)/.exec(window.location.pathname);
      var pipelineId = numberIn($dialog, ['data-pipeline-id']) || numberIn($board, ['data-pipeline-id']);
      pipelineId = pipelineId || (fromUrl ? Number(fromUrl[1]) : 0);
      var withAction = {};
      if (code) {
        $('.digital-pipeline__short-task_widget-style_' + code).each(function () {
          if ($dialog.has(this).length) {
            return;
          }
          var id = numberIn($(this).closest('[data-status-id], [data-status]'), stageAttrs);
          if (id && id !== statusId) {
            withAction[id] = true;
          }
        });
      }
      return { pipeline_id: pipelineId, status_id: statusId, with_action: withAction };
    }

    /** Warnings about where the copy lands: the trigger's own stage, or a stage whose action would fire again. */
    function dpWarnings(meta, rule, where) {
      var out = [];
      if (where.status_id && rule.status_id === where.status_id && (!where.pipeline_id || rule.pipeline_id === where.pipeline_id)) {
        out.push(t('dp.warn_self'));
      } else if (where.with_action[rule.status_id] && (!where.pipeline_id || rule.pipeline_id === where.pipeline_id)) {
        out.push(t('dp.warn_chain', { stage: accountMeta.stageLabel(meta, rule.pipeline_id, rule.status_id) }));
      }
      return out;
    }

    function renderDpSettings() {
      var $dialog = dpDialog();
      var $rule = dpInput($dialog, 'rule');
      var $signature = dpInput($dialog, 'signature');
      if (!$rule.length || !$signature.length) {
        return;
      }
      $dialog.find('.dealcopy-dp').remove();
      // amoCRM draws and saves the declared inputs; we hide them and keep them filled.
      $rule.add($signature).each(function () {
        var $row = $(this).closest('.widget_settings_block__item_field, .task-edit__body__form-row, .dealcopy-dp-field');
        ($row.length ? $row : $(this)).addClass('dealcopy-hidden').attr('aria-hidden', 'true');
      });
      var $root = $('<div class="dealcopy dealcopy-root dealcopy-dp"></div>');
      var $form = $rule.closest('.task-edit__body__form, form');
      if ($form.length && $dialog.has($form).length) {
        $form.after($root);
      } else {
        $rule.after($root);
      }
      panel.loadingInto($root);
      var saved = null;
      try {
        saved = $rule.val() ? JSON.parse($rule.val()) : null;
      } catch (ignored) {
        saved = null;
      }
      panel.loadScreen($root, DP_TEMPLATES, ctx.api.loadMeta(), function (meta) {
        buildDpSettings($root, meta, saved, $rule, $signature, $dialog);
      }, function () {
        $root.remove();
        renderDpSettings();
      });
    }

    function buildDpSettings($root, meta, saved, $rule, $signature, $dialog) {
      var where = dpContext($dialog);
      $root.html(html('dp'));
      var copyForm = ctx.ruleForm($root.find('[data-slot="form"]'), meta, {
        mode: 'dp',
        heading: true,
        order: ['responsible', 'pipeline', 'stage'],
        checks: ['company', 'contacts', 'products'],
        presets: true,
        allowActor: false, // a trigger has no user who copies
        allowAnonymise: true,
        nameInput: true,
        initial: saved && saved.write_back ? null : saved
      });
      schedules.create(ctx).dp(copyForm, meta, saved); // «Создать позже» writes the rule's `delay`
      // what is signed: the copy rule or «Обновить исходную сделку», as the dialog's switch says
      var form = writeBackForm.create(ctx).dialogForm($root, copyForm, meta, saved);
      var $warnings = $root.find('[data-slot="warnings"]');

      function warn() {
        $warnings.empty();
        if (form.mode() !== 'copy') {
          return;
        }
        $.each(dpWarnings(meta, copyForm.rule(), where), function (_, text) {
          $('<div class="dealcopy-alert dealcopy-alert_warning" data-warning></div>').text(text).appendTo($warnings);
        });
      }
      form.onChange(warn);
      warn();
      var $status = $root.find('[data-slot="status"]');
      var $error = $root.find('[data-slot="error"]');
      var sequence = 0;
      var pending = null;
      var signing = null; // {json, done}: the sign request on its way
      var signedJson = null; // the rule the inputs' signature belongs to

      function status(kind, text) {
        $status
          .removeClass('dealcopy-dp__status_ok dealcopy-dp__status_busy dealcopy-dp__status_error')
          .addClass('dealcopy-dp__status_' + kind)
          .text(text);
        $root.attr('data-sign-state', kind);
      }

      function write($input, value) {
        $input.val(value).trigger('input').trigger('change');
      }

      /** Signs the form as it is now; the promise settles once this very rule is signed or refused. */
      function sign() {
        pending = null;
        sequence += 1;
        var mine = sequence;
        var rule = form.rule();
        var json = JSON.stringify(rule);
        var done = $.Deferred();
        signing = { json: json, done: done };
        // The unsigned choice is kept at once, the signature only once the backend accepted it:
        // amoCRM then saves either a valid pair or no signature (the hook is refused, not misrun).
        write($rule, json);
        write($signature, '');
        signedJson = null;
        status('busy', t('dp.signing'));
        problems.hideProblem($error);
        form.clearErrors();
        api('POST', '/widget/dp/sign', { rule: rule })
          .done(function (signed) {
            if (mine !== sequence) {
              done.reject(null);
              return; // a newer choice is being signed: never report this one as saved
            }
            signing = null;
            write($rule, signed.rule);
            write($signature, signed.signature);
            signedJson = json;
            if (!pending) {
              status('ok', t('dp.signed'));
            }
            done.resolve();
          })
          .fail(function (problem) {
            if (mine !== sequence) {
              done.reject(null);
              return;
            }
            signing = null;
            status('error', t('dp.not_signed'));
            problems.showProblem($error, problem, form);
            done.reject(problem);
          });
        return done.promise();
      }

      /** The inputs hold the signature of exactly what the form shows now. */
      function settled() {
        return !pending && !signing && signedJson !== null && signedJson === JSON.stringify(form.rule());
      }

      /** Signs what is on screen now unless that is signed already or on its way. */
      function flush() {
        if (pending) {
          ctx.timers.cancel(pending);
          pending = null;
        }
        if (settled()) {
          return $.Deferred().resolve().promise();
        }
        if (signing && signing.json === JSON.stringify(form.rule())) {
          return signing.done.promise();
        }
        return sign();
      }

      /**
       * amoCRM saves whatever the inputs hold when «Готово» is pressed. A press while the last
       * change is not signed yet waits for its signature, then presses again; a refused rule is
       * not saved and the dialog says why.
       */
      function guardSave(event) {
        var $button = $(event.target).closest(SAVE_BUTTONS);
        if (!$button.length || $button.closest('.dealcopy').length || $button.data('dealcopy-release') || settled()) {
          return;
        }
        event.preventDefault();
        event.stopImmediatePropagation();
        status('busy', t('dp.saving_wait'));
        saveWhenSigned($button);
      }

      function saveWhenSigned($button) {
        flush().then(
          function () {
            if (!settled()) {
              saveWhenSigned($button); // changed again while it was signed: sign what is on screen now
              return;
            }
            $button.data('dealcopy-release', true);
            $button[0].click();
            $button.removeData('dealcopy-release');
          },
          function (problem) {
            if (problem) {
              status('error', t('dp.not_saved'));
            } else {
              saveWhenSigned($button); // superseded by a newer choice: wait for that one
            }
          }
        );
      }

      var dialog = $dialog[0];
      if (dialog) {
        var previous = $dialog.data('dealcopy-save-guard');
        if (previous) {
          dialog.removeEventListener('click', previous, true);
        }
        // the capture phase: before amoCRM's own handler on the button reads the inputs
        dialog.addEventListener('click', guardSave, true);
        $dialog.data('dealcopy-save-guard', guardSave);
      }

      form.onChange(function () {
        if (pending) {
          ctx.timers.cancel(pending);
        }
        signedJson = null;
        write($rule, JSON.stringify(form.rule())); // never the previous choice's signed pair
        write($signature, '');
        status('busy', t('dp.signing'));
        pending = ctx.timers.later(sign, SIGN_DELAY_MS);
      });
      /**
       * A saved, signed action is signed again as stored, quietly: after the client secret is
       * rotated, opening the dialog and pressing «Готово» moves it to the new key. The settings do
       * not name the current key, so this is one request per opening. «Готово» waits for it; a
       * failed call keeps the saved pair and says nothing, a refused rule keeps it and says why.
       */
      function resign() {
        sequence += 1;
        var mine = sequence;
        var json = JSON.stringify(form.rule());
        var done = $.Deferred();
        signing = { json: json, done: done };
        signedJson = json;
        status('ok', t('dp.signed'));
        api('POST', '/widget/dp/sign', { rule: $rule.val() })
          .done(function (signed) {
            if (mine !== sequence || signedJson !== json) {
              done.reject(null); // changed meanwhile: the change is signed on its own
              return;
            }
            signing = null;
            write($rule, signed.rule);
            write($signature, signed.signature);
            done.resolve();
          })
          .fail(function (problem) {
            if (mine !== sequence || signedJson !== json) {
              done.reject(null);
              return;
            }
            signing = null;
            if (problem.code === 'rule_invalid') {
              status('error', t('dp.not_signed'));
              problems.showProblem($error, problem, form);
            }
            done.resolve();
          });
      }

      // A new action (or one saved by an older version) is signed right away, so saving the
      // dialog without touching anything still stores a valid pair.
      if (!saved || !$signature.val()) {
        sign();
      } else {
        resign();
      }
    }

    return { render: renderDpSettings };
  }

  return { create: create };
});
