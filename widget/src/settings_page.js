/*
 * Settings (`settings`): the licence state, presets (create and edit with the rule form,
 * rename inline, delete with a second click — no blocking browser dialogs) and the account's
 * last copies and failures from GET /widget/activity.
 */
define('dealcopy/settings_page', ['jquery', 'dealcopy/ids', 'dealcopy/meta', 'dealcopy/schedules'], function ($, ids, accountMeta, schedules) {
  'use strict';

  var SETTINGS_TEMPLATES = ['settings', 'presets', 'preset_editor', 'activity'];

  function create(ctx) {
    var self = ctx.widget;
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var messageOf = ctx.i18n.messageOf;
    var api = ctx.api.call;
    var panel = ctx.panel;
    var problems = ctx.problems;
    var pipelineById = accountMeta.pipelineById;
    var leadUrl = accountMeta.leadUrl;

    function settingsBlock($modal) {
      var $block = $();
      if ($modal && $modal.jquery) {
        $block = $modal.find('.widget_settings_block');
        if (!$block.length && $modal.hasClass('widget_settings_block')) {
          $block = $modal;
        }
      }
      if (!$block.length) {
        var code = ctx.env.widgetCode();
        $block = $('.modal.' + code + ' .widget_settings_block, .widget-settings.' + code + ' .widget_settings_block');
      }
      if (!$block.length) {
        $block = $('.widget_settings_block');
      }
      return $block.last();
    }

    function renderSettingsPage($modal) {
      var $block = settingsBlock($modal);
      if (!$block.length) {
        return;
      }
      $block.find('.dealcopy-settings-root').remove();
      var $root = $('<div class="dealcopy dealcopy-root dealcopy-settings-root"></div>');
      var $controls = $block.children('.widget_settings_block__controls');
      var $fields = $block.children('.widget_settings_block__fields');
      if ($fields.length) {
        // what a manager and an admin read first; amoCRM's own inputs (the technical backend
        // address) stay where amoCRM saves them, under «Для администратора» at the bottom
        $root.insertBefore($fields.first());
        adminSection($fields.first());
      } else if ($controls.length) {
        $root.insertBefore($controls.first());
      } else {
        $root.appendTo($block);
      }
      panel.loadingInto($root);
      var status = (self.params && self.params.status) || ctx.env.settings().status;
      if (status && status !== 'installed') {
        $root.empty();
        $('<div class="dealcopy-alert"></div>').text(t('page.install_first')).appendTo($root);
        return;
      }
      panel.loadScreen($root, SETTINGS_TEMPLATES, ctx.api.loadMeta(true), function (meta) {
        buildSettingsPage($root, meta);
      }, function () {
        renderSettingsPage($modal);
      });
    }

    function adminSection($fields) {
      $fields.parent().find('.dealcopy-admin').remove();
      var $section = $('<div class="dealcopy dealcopy-admin" data-slot="admin"></div>').insertBefore($fields);
      $('<h3 class="dealcopy-section__title"></h3>').text(t('page.admin')).appendTo($section);
      $('<p class="dealcopy-section__hint"></p>').text(t('page.admin_hint')).appendTo($section);
    }

    function licenceView(licence) {
      if (!licence) {
        return { text: '', state: 'unknown' };
      }
      if (!licence.active) {
        return { text: t('page.licence_expired', { date: ctx.i18n.formatDate(licence.valid_until) }), state: 'expired' };
      }
      var days = ctx.i18n.daysText(licence.days_left);
      if (licence.kind === 'trial') {
        return { text: t('page.licence_trial', { days: days, date: ctx.i18n.formatDate(licence.valid_until) }), state: 'trial' };
      }
      return { text: t('page.licence_paid', { days: days, date: ctx.i18n.formatDate(licence.valid_until) }), state: 'paid' };
    }

    function triggerLabel(trigger) {
      var labels = {
        manual: t('page.trigger.manual'),
        dp: t('page.trigger.dp'),
        bulk: t('page.trigger.bulk'),
        repeat: t('page.trigger.repeat'),
        delayed: t('page.trigger.delayed')
      };
      // a kind this version does not know yet is still no code for a manager to read
      return labels[trigger] || (trigger ? t('page.trigger.other') : '');
    }

    function ruleSummary(meta, rule) {
      var pipeline = pipelineById(meta, rule && rule.pipeline_id);
      if (!pipeline) {
        return t('page.preset_broken');
      }
      var status = $.grep(pipeline.statuses || [], function (s) {
        return s.id === rule.status_id;
      })[0];
      var text = pipeline.name + ' → ' + (status ? status.name : '#' + rule.status_id);
      return rule.anonymise ? text + ' · ' + t('form.anonymise') : text;
    }

    function buildSettingsPage($root, meta) {
      var licence = licenceView(meta.licence);
      $root.html(html('settings', { licence: licence }));
      var $presets = $root.find('[data-slot="presets"]');
      var $editor = $root.find('[data-slot="editor"]');
      var $error = $root.find('[data-slot="presets-error"]');
      var $activity = $root.find('[data-slot="activity"]');

      function drawPresets() {
        $presets.html(
          html('presets', {
            presets: $.map(meta.presets || [], function (preset) {
              return { id: preset.preset_id, name: preset.name, summary: ruleSummary(meta, preset.rule) };
            })
          })
        );
      }

      var reloads = 0;
      function reload() {
        reloads += 1;
        var mine = reloads;
        return ctx.api.loadMeta(true).done(function (fresh) {
          if (mine === reloads) {
            meta = fresh; // an older answer must not undo a save made after it was asked
            drawPresets();
          }
        });
      }

      /**
       * The preset as just saved, in the list at once: a rename or an edit pressed before the
       * reload answers (amoCRM slow) starts from what was saved, never from the rule before it.
       */
      function remember(saved) {
        var others = $.grep(meta.presets || [], function (p) {
          return p.preset_id !== saved.preset_id;
        });
        var at = $.map(meta.presets || [], function (p, i) {
          return p.preset_id === saved.preset_id ? i : null;
        })[0];
        others.splice(at === undefined ? others.length : at, 0, saved);
        meta = $.extend({}, meta, { presets: others });
        drawPresets();
      }

      function savePreset(id, name, rule) {
        return api('PUT', '/widget/presets/' + encodeURIComponent(id), { name: name, rule: rule }).done(function (answer) {
          remember($.extend({ preset_id: id, name: name, rule: rule }, answer || {}));
          reload();
        });
      }

      function closeEditor() {
        $editor.empty().prop('hidden', true);
        $root.find('[data-action="preset-new"]').prop('disabled', false);
      }

      function openEditor(preset) {
        $editor.html(html('preset_editor', { name: preset ? preset.name : '', editing: !!preset })).prop('hidden', false);
        $root.find('[data-action="preset-new"]').prop('disabled', true);
        var form = ctx.ruleForm($editor.find('[data-slot="form"]'), meta, {
          mode: 'preset',
          allowActor: true,
          allowAnonymise: true,
          initial: preset ? preset.rule : null
        });
        var $name = $editor.find('[data-control="preset-name"]');
        var $save = $editor.find('[data-action="preset-save"]');
        var $editorError = $editor.find('[data-slot="editor-error"]');
        $name.trigger('focus');
        $editor.find('[data-action="preset-cancel"]').on('click', closeEditor);
        $save.on('click', function () {
          var name = $.trim($name.val());
          var rule = form.rule(); // what is on screen at the press, whatever still loads
          if (form.holdForConfirm($editorError)) {
            return;
          }
          if (!name) {
            problems.showProblem($editorError, { detail: t('page.preset_name_required'), errors: [] });
            $name.trigger('focus');
            return;
          }
          var id = preset ? preset.preset_id : ids.presetId();
          problems.hideProblem($editorError);
          panel.setBusy($save, true, t('page.saving'));
          savePreset(id, name, rule)
            .done(closeEditor)
            .fail(function (problem) {
              problems.showProblem($editorError, problem, form);
            })
            .always(function () {
              panel.setBusy($save, false);
            });
        });
      }

      function presetOf($el) {
        var id = $el.closest('[data-preset]').attr('data-preset');
        return $.grep(meta.presets || [], function (p) {
          return p.preset_id === id;
        })[0];
      }

      $root.on('click', '[data-action="preset-new"]', function () {
        openEditor(null);
      });
      $root.on('click', '[data-action="preset-edit"]', function () {
        var preset = presetOf($(this));
        if (preset) {
          openEditor(preset);
        }
      });
      $root.on('click', '[data-action="preset-rename"]', function () {
        var $row = $(this).closest('[data-preset]');
        var preset = presetOf($row);
        if (!preset) {
          return;
        }
        $row.addClass('dealcopy-preset_renaming');
        $row.find('[data-control="rename"]').val(preset.name).prop('hidden', false).trigger('focus');
        $row.find('[data-rename-actions]').prop('hidden', false);
        $row.find('[data-view]').prop('hidden', true);
      });
      $root.on('click', '[data-action="rename-cancel"]', function () {
        drawPresets();
      });
      $root.on('click', '[data-action="rename-save"]', function () {
        var $row = $(this).closest('[data-preset]');
        var preset = presetOf($row);
        var name = $.trim($row.find('[data-control="rename"]').val());
        if (!preset || !name) {
          return;
        }
        problems.hideProblem($error);
        panel.setBusy($(this), true, t('page.saving'));
        savePreset(preset.preset_id, name, preset.rule).fail(function (problem) {
            problems.showProblem($error, problem);
            drawPresets();
          });
      });
      $root.on('click', '[data-action="preset-delete"]', function () {
        var $button = $(this);
        var preset = presetOf($button);
        if (!preset) {
          return;
        }
        if (!$button.hasClass('dealcopy-link_confirm')) {
          // a second click confirms: no blocking browser dialogs inside amoCRM
          $button.addClass('dealcopy-link_confirm').text(t('page.delete_confirm'));
          return;
        }
        problems.hideProblem($error);
        api('DELETE', '/widget/presets/' + encodeURIComponent(preset.preset_id))
          .done(reload)
          .fail(function (problem) {
            problems.showProblem($error, problem);
            drawPresets();
          });
      });

      drawPresets();

      drawActivity($activity, meta);
      schedules.create(ctx).settings($activity.closest('.dealcopy-section'), meta); // the account's repeats and pending copies
    }

    /** The account's last copies and failures (GET /widget/activity) into `$activity`. */
    /** The names of the journal's deals (one GET /widget/leads), then `draw(names)`; ids alone if that fails. */
    function withNames(activity, draw) {
      var ids = [];
      $.each((activity && activity.copies) || [], function (_, copy) {
        ids.push(copy.source_id, copy.lead_id);
      });
      $.each((activity && activity.failures) || [], function (_, failure) {
        ids.push(failure.source_id);
      });
      ids = $.grep(ids, function (id, i) {
        return id && $.inArray(id, ids) === i;
      });
      var names = {};
      if (!ids.length) {
        draw(names);
        return;
      }
      api('GET', '/widget/leads?ids=' + ids.slice(0, 250).join(','))
        .done(function (answer) {
          $.each((answer && answer.leads) || [], function (_, lead) {
            names[lead.id] = lead.name;
          });
        })
        .always(function () {
          draw(names);
        });
    }

    function drawActivity($activity, meta) {
      api('GET', '/widget/activity')
        .done(function (activity) {
          withNames(activity, function (names) {
            drawJournal($activity, meta, activity, names);
          });
        })
        .fail(function (problem) {
          $activity.empty();
          $('<div class="dealcopy-alert dealcopy-alert_error"></div>')
            .text(t('page.activity_failed') + ' ' + problem.detail)
            .appendTo($activity);
        });
    }

    function drawJournal($activity, meta, activity, names) {
          $activity.html(
            html('activity', {
              copies: $.map((activity && activity.copies) || [], function (copy) {
                return {
                  at: ctx.i18n.formatAt(copy.at),
                  source_id: copy.source_id,
                  source_name: names[copy.source_id] || '',
                  source_url: leadUrl(meta, copy.source_id),
                  lead_id: copy.lead_id,
                  name: names[copy.lead_id] || '',
                  url: copy.url || leadUrl(meta, copy.lead_id),
                  trigger: triggerLabel(copy.trigger)
                };
              }),
              failures: $.map((activity && activity.failures) || [], function (failure) {
                return {
                  at: ctx.i18n.formatAt(failure.at),
                  source_id: failure.source_id,
                  source_name: names[failure.source_id] || '',
                  source_url: leadUrl(meta, failure.source_id),
                  message: messageOf(failure) || failure.code,
                  trigger: triggerLabel(failure.trigger)
                };
              })
            })
          );
    }

    return { render: renderSettingsPage };
  }

  return { create: create };
});
