/*
 * Lead card (`lcard-1`): the «Копия сделки» panel in the card's right column (manual 6.1–6.4).
 * Preselects the open deal's pipeline and stage (a won or lost deal: the first open stage),
 * lists the deal's own linked elements in the tree, posts POST /copies with an idempotency key
 * reused while the same choice is retried (also by itself while the backend says a retry will
 * finish the copy, showing «Копия создаётся…»), and shows what was created and carried.
 * A second copy of the same deal within REPEAT_MS (or a press while the first is running)
 * asks to confirm, so two quick presses never make two deals silently.
 */
define('dealcopy/card', ['jquery', 'dealcopy/copy_result', 'dealcopy/schedules', 'dealcopy/family'], function (
  $,
  copyResult,
  schedules,
  family
) {
  'use strict';

  var CARD_TEMPLATES = ['panel', 'result'];
  var REPEAT_MS = 60000;
  // The card's own deal by name is a nicety, never worth a blank panel: the panel is drawn this long
  // after it was opened at the latest (at least LEAD_WAIT_MIN_MS after the deal was asked for).
  var PANEL_BY_MS = 4500;
  var LEAD_WAIT_MIN_MS = 1500;

  function create(ctx) {
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var api = ctx.api.call;
    var panel = ctx.panel;
    var problems = ctx.problems;
    var describe = copyResult.create(ctx);
    // copies made from this page, per source lead: {at, lead_id} (survives a re-render of the panel)
    var recent = {};

    function currentLeadId() {
      var amo = ctx.env.host();
      var id = typeof amo.constant === 'function' ? amo.constant('card_id') : null;
      if (!id && amo.data && amo.data.current_card) {
        id = amo.data.current_card.id;
      }
      return parseInt(id, 10) || 0;
    }

    /** Pipeline and stage of the open lead (the card model's attributes), to preselect them. */
    function currentLeadStage() {
      var card = ctx.env.host().data && ctx.env.host().data.current_card;
      var model = card && card.model;
      function get(key) {
        if (!model) {
          return null;
        }
        return typeof model.get === 'function' ? model.get(key) : model.attributes && model.attributes[key];
      }
      return {
        pipeline_id: parseInt(get('lead[PIPELINE_ID]'), 10) || 0,
        status_id: parseInt(get('lead[STATUS]'), 10) || 0
      };
    }

    /**
     * The deal by name with its linked elements; null when it cannot be read or takes longer than
     * `waitMs` (amoCRM answering 429): the panel is drawn anyway and the tree then lists catalogs.
     */
    function loadLead(leadId, waitMs) {
      var found = $.Deferred();
      if (!leadId) {
        return found.resolve(null).promise();
      }
      ctx.timers.later(function () {
        found.resolve(null);
      }, waitMs);
      api('GET', '/widget/leads?ids=' + leadId + '&with=elements').then(
        function (answer) {
          found.resolve(((answer && answer.leads) || [])[0] || null);
        },
        function () {
          found.resolve(null);
        }
      );
      return found.promise();
    }

    function renderCardPanel() {
      var opened = Date.now();
      panel.renderPanel('card', CARD_TEMPLATES, function ($root, meta) {
        // after the metadata, not beside it: both are answered by the same backend function,
        // and the local stack runs one event per function at a time, like one Lambda instance
        var waitMs = Math.max(LEAD_WAIT_MIN_MS, PANEL_BY_MS - (Date.now() - opened));
        loadLead(currentLeadId(), waitMs).always(function (lead) {
          buildCardPanel($root, meta, lead);
        });
      });
    }

    function buildCardPanel($root, meta, lead) {
      var leadId = currentLeadId();
      $root.html(html('panel'));
      var form = ctx.ruleForm($root.find('[data-slot="form"]'), meta, {
        mode: 'card',
        presets: true,
        collapseTree: true,
        nameInput: true,
        lead: lead,
        defaults: lead ? { pipeline_id: lead.pipeline_id, status_id: lead.status_id } : currentLeadStage()
      });
      var $button = $root.find('[data-action="copy"]');
      var $error = $root.find('[data-slot="error"]');
      var $result = $root.find('[data-slot="result"]');
      var $repeat = $root.find('[data-slot="repeat"]');
      var keys = panel.keyKeeper('card');
      var busy = false;
      var pressedWhileBusy = false;
      panel.licenceLine($root.find('[data-slot="licence"]'), meta.licence);
      if (recent[leadId]) {
        $button.find('.dealcopy-button__text').text(t('panel.copy_again'));
      }

      form.onChange(function () {
        form.clearErrors();
        problems.hideProblem($error);
      });

      function askRepeat() {
        var last = recent[leadId];
        var seconds = Math.max(1, Math.round((Date.now() - last.at) / 1000));
        $repeat.find('[data-text]').text(t('panel.repeat_confirm', { id: last.lead_id, seconds: seconds }));
        $repeat.prop('hidden', false);
      }

      function copy() {
        $repeat.prop('hidden', true);
        if (!leadId) {
          problems.showProblem($error, { detail: t('panel.no_lead'), errors: [] });
          return;
        }
        var body = { lead_id: leadId, rule: form.rule() };
        var request = $.extend({ idempotency_key: keys.keyFor(body) }, body);
        form.clearErrors();
        problems.hideProblem($error);
        $result.prop('hidden', true).empty();
        busy = true;
        pressedWhileBusy = false;
        panel.setBusy($button, true, t('panel.copying'), true);
        ctx.api
          .callUntilDone('POST', '/copies', request, function (attempt) {
            $button.find('.dealcopy-button__text').text(t('panel.copy_pending', { n: attempt }));
          })
          .done(function (made) {
            keys.succeeded();
            recent[leadId] = { at: Date.now(), lead_id: made.lead_id };
            $result.html(html('result', describe.view(made, meta))).prop('hidden', false);
          })
          .fail(function (problem) {
            problems.showProblem($error, problem, form);
          })
          .always(function () {
            busy = false;
            panel.setBusy($button, false);
            if (recent[leadId]) {
              $button.find('.dealcopy-button__text').text(t('panel.copy_again'));
              if (pressedWhileBusy) {
                askRepeat();
              }
            }
          });
      }

      $button.on('click', function () {
        if (busy) {
          pressedWhileBusy = true; // answered once the running copy is done: never a silent second deal
          return;
        }
        if (form.awaitingConfirm()) {
          form.$el.find('[data-slot="stage-confirm"]').addClass('dealcopy-confirm_flash');
          return;
        }
        var last = recent[leadId];
        if (last && Date.now() - last.at < REPEAT_MS) {
          askRepeat();
          return;
        }
        copy();
      });
      $repeat.on('click', '[data-action="repeat-yes"]', copy);
      $repeat.on('click', '[data-action="repeat-no"]', function () {
        $repeat.prop('hidden', true);
      });
      schedules.create(ctx).card($root, form, leadId, meta); // the preview, «Повторять» and the deal's pending copies
      family.create(ctx).card($root, leadId); // «Копии сделки: N»
    }

    return { render: renderCardPanel };
  }

  return { create: create };
});
