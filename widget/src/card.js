/*
 * Lead card (`lcard-1`): the «Копия сделки» panel in the card's right column (manual 6.1–6.4).
 * Preselects the open deal's pipeline and stage, posts POST /copies with an idempotency key
 * reused while the same choice is retried, and shows «Создана сделка #N» with what was not
 * carried over.
 */
define('dealcopy/card', ['jquery'], function ($) {
  'use strict';

  var CARD_TEMPLATES = ['panel', 'result'];

  function create(ctx) {
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var messageOf = ctx.i18n.messageOf;
    var api = ctx.api.call;
    var panel = ctx.panel;
    var problems = ctx.problems;

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

    function renderCardPanel() {
      panel.renderPanel('card', CARD_TEMPLATES, buildCardPanel);
    }

    function buildCardPanel($root, meta) {
      var leadId = currentLeadId();
      $root.html(html('panel'));
      var form = ctx.ruleForm($root.find('[data-slot="form"]'), meta, {
        mode: 'card',
        presets: true,
        collapseTree: true,
        defaults: currentLeadStage()
      });
      var $button = $root.find('[data-action="copy"]');
      var $error = $root.find('[data-slot="error"]');
      var $result = $root.find('[data-slot="result"]');
      var keys = panel.keyKeeper('card');
      panel.licenceLine($root.find('[data-slot="licence"]'), meta.licence);

      panel.onCopy(form, $button, $error, function () {
        if (!leadId) {
          problems.showProblem($error, { detail: t('panel.no_lead'), errors: [] });
          return;
        }
        var body = { lead_id: leadId, rule: form.rule() };
        var request = $.extend({ idempotency_key: keys.keyFor(body) }, body);
        form.clearErrors();
        problems.hideProblem($error);
        $result.prop('hidden', true).empty();
        panel.setBusy($button, true, t('panel.copying'));
        api('POST', '/copies', request)
          .done(function (copy) {
            keys.succeeded();
            $result.html(html('result', resultView(copy))).prop('hidden', false);
          })
          .fail(function (problem) {
            problems.showProblem($error, problem, form);
          })
          .always(function () {
            panel.setBusy($button, false);
          });
      });
    }

    function skippedWhat(what) {
      var names = {
        field: t('result.what.field'),
        contacts: t('result.what.contacts'),
        company: t('result.what.company'),
        budget: t('result.what.budget'),
        tags: t('result.what.tags'),
        catalog_element: t('result.what.catalog_element'),
        catalog: t('result.what.catalog'),
        links: t('result.what.links'),
        notes: t('result.what.notes')
      };
      return names[what] || what;
    }

    function resultView(copy) {
      var skipped = $.map(copy.skipped || [], function (skip) {
        return {
          what: skip.name ? skippedWhat(skip.what) + ' «' + skip.name + '»' : skippedWhat(skip.what),
          reason: messageOf(skip)
        };
      });
      return {
        lead_id: copy.lead_id,
        url: copy.url,
        title: t('result.created', { id: copy.lead_id }),
        skipped: skipped,
        skipped_title: t('result.skipped', { n: skipped.length })
      };
    }

    return { render: renderCardPanel };
  }

  return { create: create };
});
